import { Redis } from 'ioredis';

/** The Redis the tests use: `REDIS_URL`, default redis://127.0.0.1:6379. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Fails the calling test loudly when Redis is not there — tests that need Redis never skip. Resolves to a
 * connected client the caller closes.
 */
export async function requireRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `This test needs Redis at ${REDIS_URL} (set REDIS_URL; .ci/run starts one): ${(error as Error).message}`,
    );
  }
}

/** A key prefix no other test (or earlier run) shares. */
export function uniquePrefix(name: string): string {
  return `graft-test:${name}:${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2, 8)}`;
}
