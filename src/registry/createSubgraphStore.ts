import path from 'node:path';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import type { GraftConfig } from '../config/configSchema.js';
import { createFileStore } from './createFileStore.js';
import { createRedisStore } from './createRedisStore.js';
import type { SubgraphStore } from './RegisteredSubgraph.js';

/**
 * The registry store the config asks for: the embedded JSON file, or Redis shared by every instance (ioredis
 * is imported only then).
 */
export async function createSubgraphStore(
  registry: GraftConfig['registry'],
  baseDir: string,
): Promise<SubgraphStore> {
  if (registry.store === 'file') return createFileStore(path.resolve(baseDir, registry.dataDir));
  const { Redis } = await import('ioredis');
  // A dead Redis must never hang a request or an admin call: fail fast, reconnect in the background.
  const redis = new Redis(registry.redisUrl!, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  redis.on('error', () => {
    // ioredis reconnects by itself; failed commands surface as errors to their callers.
  });
  const store = createRedisStore(redis, registry.keyPrefix);
  return {
    ...store,
    // Commands fail fast while disconnected; the very first read waits (briefly) for the first connection.
    list: async () => {
      if (redis.status === 'connecting' || redis.status === 'wait') await whenReady(redis, 2_000);
      return store.list();
    },
    async close() {
      await store.close();
      redis.disconnect();
    },
  };
}

async function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  await Promise.race([
    once(redis, 'ready'),
    new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
}
