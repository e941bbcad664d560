import type { Registry } from 'prom-client';
import type { GraftConfig } from '../config/configSchema.js';
import type { Logger } from '../observability/createLogger.js';
import { createFieldLimitsForGraph } from './createFieldLimitsForGraph.js';
import { createLimiterStore, type LimiterStore, type RequestLimit } from './createLimiterStore.js';
import { createRateLimitMetrics, type RateLimitMetrics } from './createRateLimitMetrics.js';
import { createRedisClient } from './createRedisClient.js';
import { parseWindowSec } from './parseWindowSec.js';
import { createIdentityPolicy, type IdentityPolicy } from './resolveClientIdentity.js';

/** Everything rate limiting needs, built once per gateway instance; per-request state lives in the plugin. */
export interface RateLimiting {
  readonly store: LimiterStore;
  readonly identity: IdentityPolicy;
  /** Per-client limit on operations, when configured. */
  readonly operationLimit: RequestLimit | undefined;
  /** Per-client limits on requests to a subgraph, by subgraph name. */
  readonly subgraphLimits: ReadonlyMap<string, RequestLimit>;
  readonly fieldLimits: ReturnType<typeof createFieldLimitsForGraph>;
  readonly metrics: RateLimitMetrics;
  close(): Promise<void>;
}

/**
 * Builds the limiter store (memory, or Redis as configured) and the parsed limits. With Redis, waits for the
 * first connection (bounded by `connectTimeoutMs`); if Redis cannot be reached, graft still starts, in the
 * configured fail mode, and keeps reconnecting.
 */
export async function createRateLimiting(
  config: GraftConfig['rateLimits'],
  deps: { readonly logger: Logger; readonly registry: Registry },
): Promise<RateLimiting> {
  const metrics = createRateLimitMetrics(deps.registry);
  const logger = deps.logger.child({ component: 'ratelimit' });
  let store: LimiterStore;
  if (config.store === 'redis' && config.redis.url !== undefined) {
    const client = await createRedisClient(
      {
        url: config.redis.url,
        commandTimeoutMs: config.redis.commandTimeoutMs,
        connectTimeoutMs: config.redis.connectTimeoutMs,
      },
      logger,
    );
    // A failed first attempt is logged by the client's error listener; reconnection goes on in the background.
    await client.connect().catch(() => {});
    store = createLimiterStore(
      {
        kind: 'redis',
        keyPrefix: config.keyPrefix,
        client,
        failMode: config.redis.failMode,
        outageProbeIntervalMs: config.redis.outageProbeIntervalMs,
        instances: config.redis.instances,
      },
      { logger, metrics },
    );
  } else {
    store = createLimiterStore({ kind: 'memory', keyPrefix: config.keyPrefix }, { logger, metrics });
  }
  return {
    store,
    identity: createIdentityPolicy(config.identity),
    operationLimit: config.operations ? toRequestLimit(config.operations) : undefined,
    subgraphLimits: new Map(
      Object.entries(config.subgraphs).map(([name, limit]) => [name, toRequestLimit(limit)]),
    ),
    fieldLimits: createFieldLimitsForGraph(config.fields, logger),
    metrics,
    close: () => store.close(),
  };
}

/** Windows were validated with the config, so they parse. */
function toRequestLimit(limit: { readonly max: number; readonly window: string }): RequestLimit {
  return { max: limit.max, windowSec: parseWindowSec(limit.window)! };
}
