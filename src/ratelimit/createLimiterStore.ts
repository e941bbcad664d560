import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '../observability/createLogger.js';
import type { RateLimitMetrics } from './createRateLimitMetrics.js';

/** A number of points per fixed window. */
export interface RequestLimit {
  readonly max: number;
  readonly windowSec: number;
}

/** What one consume decided. `unavailable`: the store is down and the fail mode is `closed`. */
export type ConsumeOutcome =
  | { readonly kind: 'allowed'; readonly remaining: number; readonly resetMs: number }
  | { readonly kind: 'limited'; readonly resetMs: number }
  | { readonly kind: 'unavailable' };

export interface LimiterStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Takes `points` from bucket `key` of `limit` in one atomic step: the store increments and compares in one
   * operation (a Lua script in Redis), so concurrent requests, from any number of instances, can never both
   * take the last point. Over the limit the points still count (as in GraphQL Yoga), so a client that keeps
   * asking stays limited until the window ends. Never rejects.
   */
  consume(limit: RequestLimit, key: string, points: number): Promise<ConsumeOutcome>;
  close(): Promise<void>;
}

export type LimiterStoreOptions =
  | { readonly kind: 'memory'; readonly keyPrefix: string }
  | {
      readonly kind: 'redis';
      readonly keyPrefix: string;
      readonly client: Redis;
      readonly failMode: 'open' | 'closed';
      /** After a failed command, answer without Redis for this long, then probe it with one command. */
      readonly outageProbeIntervalMs: number;
      /** Instances sharing the limits: the in-memory fallback of `open` mode allows `max / instances`. */
      readonly instances: number;
    };

/**
 * The buckets, in this process (`memory`) or in Redis, shared by every graft instance. Limiters are made once
 * per distinct limit and reused; the counts live in the store, never in the limiter objects.
 *
 * With Redis, a store failure (unreachable, too slow) is told apart from "limit reached": in `open` mode an
 * in-memory limiter with the same limit answers for this instance — what rate-limiter-flexible's
 * `insuranceLimiter` does, done here so that each failure is counted and the outage logged with its cause.
 */
export function createLimiterStore(
  options: LimiterStoreOptions,
  deps: {
    readonly logger: Logger;
    readonly metrics: RateLimitMetrics;
    /** Clock in ms. Default `Date.now`. */
    readonly now?: () => number;
  },
): LimiterStore {
  const now = deps.now ?? Date.now;
  const memoryLimiters = createLimiterCache(
    (limit) =>
      new RateLimiterMemory({ points: limit.max, duration: limit.windowSec, keyPrefix: options.keyPrefix }),
  );
  if (options.kind === 'memory') {
    return {
      kind: 'memory',
      consume: (limit, key, points) => consumeFrom(memoryLimiters(limit), key, points),
      async close() {},
    };
  }

  const { client, failMode } = options;
  const redisLimiters = createLimiterCache(
    (limit) =>
      new RateLimiterRedis({
        storeClient: client,
        points: limit.max,
        duration: limit.windowSec,
        keyPrefix: options.keyPrefix,
        // Fail at once while disconnected instead of sending a command that cannot be answered.
        rejectIfRedisNotReady: true,
      }),
  );
  // A breaker around Redis: after a failure, skip it until `skipUntilMs`, then let one command probe it
  // while the others keep answering without it. A frozen Redis thus costs one request `commandTimeoutMs`
  // per probe interval, instead of every request.
  let failing = false;
  let skipUntilMs = 0;
  let probing = false;
  const fallback = (limit: RequestLimit, key: string, points: number): Promise<ConsumeOutcome> => {
    if (failMode === 'closed') return Promise.resolve({ kind: 'unavailable' });
    const share = { ...limit, max: Math.max(1, Math.floor(limit.max / options.instances)) };
    return consumeFrom(memoryLimiters(share), key, points);
  };
  return {
    kind: 'redis',
    async consume(limit, key, points) {
      if (failing && (now() < skipUntilMs || probing)) return fallback(limit, key, points);
      const isProbe = failing;
      if (isProbe) probing = true;
      try {
        const outcome = await consumeOrThrow(redisLimiters(limit), key, points);
        failing = false;
        return outcome;
      } catch (error) {
        deps.metrics.storeErrors.inc({ fail_mode: failMode });
        skipUntilMs = now() + options.outageProbeIntervalMs;
        if (!failing) {
          failing = true;
          deps.logger.warn(
            { err: (error as Error).message, failMode },
            failMode === 'open'
              ? 'rate-limit store failed; limiting in memory, per instance, until Redis answers again'
              : 'rate-limit store failed; limited fields and operations are refused until Redis answers again',
          );
        }
        return fallback(limit, key, points);
      } finally {
        if (isProbe) probing = false;
      }
    },
    async close() {
      client.removeAllListeners('close');
      client.on('error', () => {});
      client.disconnect();
    },
  };
}

/** One limiter object per distinct (max, window). */
function createLimiterCache<L extends RateLimiterAbstract>(
  create: (limit: RequestLimit) => L,
): (limit: RequestLimit) => L {
  const limiters = new Map<string, L>();
  return (limit) => {
    const id = `${limit.max}/${limit.windowSec}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      limiter = create(limit);
      limiters.set(id, limiter);
    }
    return limiter;
  };
}

/** For the memory limiter, which cannot fail: anything unexpected is still not a crash, but a refusal. */
async function consumeFrom(
  limiter: RateLimiterAbstract,
  key: string,
  points: number,
): Promise<ConsumeOutcome> {
  try {
    return await consumeOrThrow(limiter, key, points);
  } catch {
    return { kind: 'unavailable' };
  }
}

/** Allowed or limited; throws only when the store itself failed. */
async function consumeOrThrow(
  limiter: RateLimiterAbstract,
  key: string,
  points: number,
): Promise<ConsumeOutcome> {
  try {
    const result = await limiter.consume(key, points);
    return { kind: 'allowed', remaining: result.remainingPoints, resetMs: result.msBeforeNext };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { kind: 'limited', resetMs: rejection.msBeforeNext };
    throw rejection;
  }
}
