/**
 * `REDIS_URL` in the environment is the default of `rateLimits.redis.url` (and so turns the Redis store on),
 * as platforms that provision a Redis expect. A URL written in the config wins; a config that chose
 * `store: memory` keeps memory.
 */
export function withRedisUrlDefault(raw: unknown, redisUrl: string | undefined): unknown {
  if (redisUrl === undefined || redisUrl === '' || !isRecord(raw)) return raw;
  const rateLimits = raw.rateLimits ?? {};
  if (!isRecord(rateLimits)) return raw; // validation reports it as it was written
  const redis = rateLimits.redis ?? {};
  if (!isRecord(redis) || redis.url !== undefined) return raw;
  return { ...raw, rateLimits: { ...rateLimits, redis: { ...redis, url: redisUrl } } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
