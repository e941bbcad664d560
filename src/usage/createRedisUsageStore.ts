import type { Redis } from 'ioredis';
import { addCounts, type UsageStore } from './UsageStore.js';

/**
 * Counts shared by every instance: one Redis hash per bucket (`<prefix>:bucket:<start>`, field
 * `client\tcoordinate`), summed with HINCRBY so instances add up, expiring after the retention period. A
 * batch is one pipelined round trip; a read is one HGETALL per bucket in the window, pipelined.
 */
export function createRedisUsageStore(options: {
  readonly client: Redis;
  readonly keyPrefix: string;
  readonly bucketSec: number;
  readonly retentionSec: number;
  readonly nowSec: () => number;
}): UsageStore {
  const { client, keyPrefix, bucketSec } = options;
  const bucketKey = (startSec: number) => `${keyPrefix}:bucket:${startSec}`;
  const sinceKey = `${keyPrefix}:since`;

  return {
    async add({ bucketStartSec, counts }) {
      if (counts.size === 0) return;
      const key = bucketKey(bucketStartSec);
      const pipeline = client.pipeline();
      for (const [field, requests] of counts) pipeline.hincrby(key, field, requests);
      pipeline.expire(key, options.retentionSec + bucketSec);
      // The first instance to count sets the start of the history; later ones keep it.
      pipeline.set(sinceKey, String(options.nowSec()), 'NX');
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error !== null);
      if (failed) throw failed[0]!;
    },
    async read(fromSec, toSec) {
      const pipeline = client.pipeline();
      pipeline.get(sinceKey);
      // The bucket that holds `fromSec` counts whole: a check errs on the side of "used".
      const first = Math.floor(fromSec / bucketSec) * bucketSec;
      for (let start = first; start <= toSec; start += bucketSec) pipeline.hgetall(bucketKey(start));
      const results = (await pipeline.exec()) ?? [];
      const byCoordinate = new Map<string, Map<string, number>>();
      let sinceSec: number | undefined;
      for (const [index, [error, value]] of results.entries()) {
        if (error) throw error;
        if (index === 0) {
          sinceSec = typeof value === 'string' ? Number(value) : undefined;
          continue;
        }
        const hash = value as Record<string, string>;
        addCounts(
          byCoordinate,
          Object.entries(hash).map(([field, requests]) => [field, Number(requests)]),
        );
      }
      return { byCoordinate, sinceSec };
    },
    async close() {
      client.disconnect();
    },
  };
}
