import type { Logger } from '../observability/createLogger.js';
import type { UsageMetrics } from './createUsageMetrics.js';
import { toCountKey, type UsageStore } from './UsageStore.js';

export const OTHER_CLIENTS = 'other';

export interface UsageRecorder {
  /** Counts one request of `client` that selected `coordinates`. Synchronous and allocation-light: on the request path. */
  record(client: string, coordinates: readonly string[]): void;
  /** Writes what is pending to the store now (also runs every `flushIntervalMs`). */
  flush(): Promise<void>;
  /** Stops the timer after a last flush. */
  close(): Promise<void>;
}

export interface UsageRecorderOptions {
  readonly store: UsageStore;
  readonly bucketSec: number;
  readonly sampleRate: number;
  readonly flushIntervalMs: number;
  readonly maxClients: number;
  readonly maxPendingEntries: number;
  readonly nowSec: () => number;
  /** In [0, 1); injected so tests decide which requests are sampled. Default `Math.random`. */
  readonly random?: () => number;
  readonly logger: Logger;
  readonly metrics: UsageMetrics;
}

/**
 * Counts in memory on the request path and writes batches to the store off it. Memory is bounded twice:
 * at most `maxClients` client names (later ones count as `other`) and `maxPendingEntries` pending counts
 * (beyond it new counts are dropped, and `graft_usage_dropped_total` says so). A failed write drops its
 * batch rather than growing without bound; usage is evidence, not accounting.
 */
export function createUsageRecorder(options: UsageRecorderOptions): UsageRecorder {
  const random = options.random ?? Math.random;
  const weight = Math.max(1, Math.round(1 / options.sampleRate));
  const clients = new Set<string>();
  /** Pending counts by bucket start; usually one bucket, two around a bucket boundary. */
  let pending = new Map<number, Map<string, number>>();
  let pendingEntries = 0;
  let flushing: Promise<void> = Promise.resolve();
  // Coordinate lists are cached per document (listOperationCoordinates), so a client's count keys for one
  // list are built once, not on every request.
  const keysByList = new WeakMap<readonly string[], Map<string, readonly string[]>>();
  const keysFor = (client: string, coordinates: readonly string[]): readonly string[] => {
    let byClient = keysByList.get(coordinates);
    if (!byClient) keysByList.set(coordinates, (byClient = new Map()));
    let keys = byClient.get(client);
    if (!keys) byClient.set(client, (keys = coordinates.map((coordinate) => toCountKey(client, coordinate))));
    return keys;
  };
  let failing = false;

  const write = async (batches: Map<number, Map<string, number>>) => {
    for (const [bucketStartSec, counts] of batches) {
      try {
        await options.store.add({ bucketStartSec, counts });
        if (failing) options.logger.info('usage store is writable again');
        failing = false;
      } catch (error) {
        options.metrics.dropped.inc({ reason: 'store_error' }, counts.size);
        if (!failing)
          options.logger.warn(
            { err: (error as Error).message },
            'cannot write field usage; dropping the batch',
          );
        failing = true;
      }
    }
  };

  const flush = () => {
    if (pendingEntries === 0) return flushing;
    const batches = pending;
    pending = new Map();
    pendingEntries = 0;
    // Writes run one after another, so a slow store never has two batches in flight from one instance.
    flushing = flushing.then(() => write(batches));
    return flushing;
  };

  const timer = setInterval(() => void flush(), options.flushIntervalMs);
  timer.unref();

  return {
    record(client, coordinates) {
      if (options.sampleRate < 1 && random() >= options.sampleRate) return;
      let name = client;
      if (!clients.has(name)) {
        if (clients.size < options.maxClients) clients.add(name);
        else name = OTHER_CLIENTS;
      }
      const bucketStartSec = Math.floor(options.nowSec() / options.bucketSec) * options.bucketSec;
      let counts = pending.get(bucketStartSec);
      if (!counts) pending.set(bucketStartSec, (counts = new Map()));
      for (const key of keysFor(name, coordinates)) {
        const current = counts.get(key);
        if (current !== undefined) counts.set(key, current + weight);
        else if (pendingEntries < options.maxPendingEntries) {
          counts.set(key, weight);
          pendingEntries += 1;
        } else options.metrics.dropped.inc({ reason: 'pending_full' });
      }
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
