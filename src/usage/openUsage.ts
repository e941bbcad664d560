import type { GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import type { GraftConfig } from '../config/configSchema.js';
import type { Logger } from '../observability/createLogger.js';
import { createRedisClient } from '../ratelimit/createRedisClient.js';
import { parseWindowSec } from '../ratelimit/parseWindowSec.js';
import type { BreakingChange } from '../registry/describeBreakingChanges.js';
import {
  assessBreakingChanges,
  type UsedBreakingChange,
  type UsageVerdict,
} from './assessBreakingChanges.js';
import { createMemoryUsageStore } from './createMemoryUsageStore.js';
import { createRedisUsageStore } from './createRedisUsageStore.js';
import { createUsageMetrics } from './createUsageMetrics.js';
import { createUsageRecorder, type UsageRecorder } from './createUsageRecorder.js';
import { reportFieldUsage, type FieldUsageReport } from './reportFieldUsage.js';
import type { UsageStore } from './UsageStore.js';

/** What the registry's checks ask of usage. */
export interface UsageChecks {
  /** Each change with who used it in the window, and whether together they break anyone. */
  assess(
    changes: readonly BreakingChange[],
  ): Promise<{ changes: UsedBreakingChange[]; verdict: UsageVerdict }>;
}

export interface Usage extends UsageChecks {
  readonly clientHeader: string;
  /** Counts requests; absent where nothing is served (the CLI reading a store). */
  readonly recorder: UsageRecorder | undefined;
  /** Unused and least-used fields of `schema` in the window (default `usage.checks.window`). */
  report(
    schema: GraphQLSchema,
    options: { readonly window?: string; readonly limit: number },
  ): Promise<FieldUsageReport>;
  close(): Promise<void>;
}

export interface UsageDeps {
  readonly logger: Logger;
  readonly registry: Registry;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** `serve`: count this instance's requests; `read`: only read a shared store (the CLI). */
  readonly mode: 'serve' | 'read';
  readonly random?: () => number;
}

/**
 * Usage counting as configured: the store (memory or Redis), the recorder that batches counts into it, and
 * the reads the registry's checks and `graft usage` make. Undefined when `usage.enabled` is false, or when
 * only reading and the counts live in some gateway's memory.
 */
export async function openUsage(config: GraftConfig['usage'], deps: UsageDeps): Promise<Usage | undefined> {
  if (!config.enabled) return undefined;
  if (deps.mode === 'read' && config.store === 'memory') return undefined;
  const nowSec = () => Math.floor(deps.now() / 1000);
  const bucketSec = parseWindowSec(config.bucket)!;
  const retentionSec = parseWindowSec(config.retention)!;
  const logger = deps.logger.child({ component: 'usage' });
  let store: UsageStore;
  if (config.store === 'redis' && config.redisUrl !== undefined) {
    const client = await createRedisClient(
      { url: config.redisUrl, commandTimeoutMs: 2_000, connectTimeoutMs: 2_000, purpose: 'field usage' },
      logger,
    );
    // Reads and writes fail (and say so) while Redis is away; reconnection goes on in the background.
    await client.connect().catch(() => {});
    store = createRedisUsageStore({ client, keyPrefix: config.keyPrefix, bucketSec, retentionSec, nowSec });
  } else {
    store = createMemoryUsageStore({ retentionSec, bucketSec, nowSec });
  }
  const recorder =
    deps.mode === 'serve'
      ? createUsageRecorder({
          store,
          bucketSec,
          sampleRate: config.sampleRate,
          flushIntervalMs: config.flushIntervalMs,
          maxClients: config.maxClients,
          maxPendingEntries: config.maxPendingEntries,
          nowSec,
          logger,
          metrics: createUsageMetrics(deps.registry),
          ...(deps.random ? { random: deps.random } : {}),
        })
      : undefined;

  /** The window's counts, this instance's pending ones included (a check right after traffic sees it). */
  const readWindow = async (windowSec: number) => {
    await recorder?.flush();
    const now = nowSec();
    return store.read(now - windowSec, now);
  };
  const windowSec = parseWindowSec(config.checks.window)!;
  const minimumHistorySec = parseWindowSec(config.checks.minimumHistory)!;

  return {
    clientHeader: config.clientHeader.toLowerCase(),
    recorder,
    async assess(changes) {
      const options = {
        window: config.checks.window,
        minimumHistory: config.checks.minimumHistory,
        minimumHistorySec,
        nowSec: nowSec(),
      };
      try {
        return assessBreakingChanges(changes, await readWindow(windowSec), options);
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'cannot read field usage for a check');
        const unknown = assessBreakingChanges(
          changes,
          { byCoordinate: new Map(), sinceSec: undefined },
          options,
        );
        return {
          changes: unknown.changes,
          verdict: {
            decision: 'unknown',
            window: config.checks.window,
            message: `Field usage could not be read (${(error as Error).message}), so it cannot clear this change`,
          },
        };
      }
    },
    async report(schema, options) {
      const window = options.window ?? config.checks.window;
      const seconds = parseWindowSec(window);
      if (seconds === undefined)
        throw new RangeError(`window "${window}" is not a duration like "1h" or "7d"`);
      return reportFieldUsage(schema, await readWindow(seconds), { window, limit: options.limit });
    },
    async close() {
      await recorder?.close();
      await store.close();
    },
  };
}
