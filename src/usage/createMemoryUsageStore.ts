import { addCounts, type UsageStore } from './UsageStore.js';

/**
 * Counts in this process only: lost on restart, not shared between instances (use Redis for that). Buckets
 * older than `retentionSec` are dropped as new ones arrive, so memory is bounded by retention × clients ×
 * fields.
 */
export function createMemoryUsageStore(options: {
  readonly retentionSec: number;
  readonly bucketSec: number;
  /** Seconds since the epoch. */
  readonly nowSec: () => number;
}): UsageStore {
  const buckets = new Map<number, Map<string, number>>();
  // Counting starts with the store: a quiet hour is an hour of nobody using anything.
  const sinceSec = options.nowSec();

  return {
    async add({ bucketStartSec, counts }) {
      let bucket = buckets.get(bucketStartSec);
      if (!bucket) buckets.set(bucketStartSec, (bucket = new Map()));
      for (const [key, requests] of counts) bucket.set(key, (bucket.get(key) ?? 0) + requests);
      const oldestSec = options.nowSec() - options.retentionSec;
      for (const start of buckets.keys()) if (start < oldestSec) buckets.delete(start);
    },
    async read(fromSec, toSec) {
      const byCoordinate = new Map<string, Map<string, number>>();
      // The bucket that holds `fromSec` counts whole: a check errs on the side of "used".
      for (const [start, bucket] of buckets)
        if (start > fromSec - options.bucketSec && start <= toSec) addCounts(byCoordinate, bucket);
      return { byCoordinate, sinceSec };
    },
    async close() {},
  };
}
