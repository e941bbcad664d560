import type { PersistedQueryOptions } from '@apollo/server';
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/createLogger.js';

export type ApqCache = NonNullable<PersistedQueryOptions['cache']>;

/**
 * Apollo Server's APQ cache (a `KeyValueCache<string>`) in Redis, so that a query registered through one
 * instance is found by every other. Apollo Server prefixes its keys with `apq:`; this adds the configured
 * prefix in front. A Redis failure is a cache miss, never a failed request: the client is told
 * `PERSISTED_QUERY_NOT_FOUND` and sends the full query, which runs.
 */
export function createRedisApqCache(redis: Redis, keyPrefix: string, logger: Logger): ApqCache {
  const keyOf = (key: string) => `${keyPrefix}:${key}`;
  return {
    async get(key) {
      try {
        return (await redis.get(keyOf(key))) ?? undefined;
      } catch (error) {
        logger.debug({ err: (error as Error).message }, 'APQ lookup in Redis failed; treated as not found');
        return undefined;
      }
    },
    async set(key, value, options) {
      // Apollo Server's ttl is in seconds; null or absent keeps the entry until Redis evicts it.
      const ttlSec = options?.ttl;
      if (typeof ttlSec === 'number' && ttlSec > 0) await redis.set(keyOf(key), value, 'EX', ttlSec);
      else await redis.set(keyOf(key), value);
    },
    async delete(key) {
      return (await redis.del(keyOf(key))) > 0;
    },
  };
}
