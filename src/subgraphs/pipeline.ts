import type { Metrics } from '../observability/createMetrics.js';
import type { CircuitBreaker } from './createCircuitBreaker.js';
import type { InstanceBalancer } from './createInstanceBalancer.js';
import type { RetryBudget } from './createRetryBudget.js';
import type { SubgraphMetrics } from './createSubgraphMetrics.js';
import { checkDeadline } from './checkDeadline.js';
import { guardWithBreaker } from './guardWithBreaker.js';
import type { SubgraphSettings } from './resolveSubgraphSettings.js';
import { retryFailedQueries } from './retryFailedQueries.js';
import { sendToInstance } from './sendToInstance.js';
import type { SubgraphFetch } from './SubgraphFetch.js';
import type { SubgraphLayer, SubgraphSend } from './SubgraphCall.js';

/** A subgraph's state that outlives graph reloads (kept by name in `createSubgraphClients`). */
export interface SubgraphState {
  readonly breaker: CircuitBreaker;
  readonly retryBudget: RetryBudget;
  readonly balancer: InstanceBalancer;
  /** The in-flight dedupe layer, with its map of calls in flight. */
  readonly shareInflight: SubgraphLayer;
}

export interface PipelineDeps {
  readonly fetch: SubgraphFetch;
  readonly metrics: Metrics;
  readonly subgraphMetrics: SubgraphMetrics;
  readonly now: () => number;
  readonly random: () => number;
  readonly deadlineHeader: string;
}

/**
 * Every call to a subgraph — query execution and schema loading alike — takes this path, in this order:
 *
 * 0. rate limit — per client, before any of this: `withSubgraphRateLimit` wraps the Executor, because it
 *    needs the client's identity and answers with `RATE_LIMITED` rather than a transport error;
 * 1. deadline — a call whose request already ended (deadline passed, client gone) is refused unsent;
 * 2. breaker — while the subgraph's circuit is open, fail fast with `CIRCUIT_OPEN`; it judges the outcome
 *    after retries, so one call is one verdict;
 * 3. retry — idempotent calls that could not connect or got 429/502/503/504, with backoff inside the
 *    deadline and the retry budget; inside the breaker so an open circuit also stops retries;
 * 4. dedupe — identical queries in flight share one call; inside retry so each attempt can be shared;
 * 5. balance + send — pick an instance (ejecting failing ones), POST with the call's time budget.
 */
export function buildSubgraphPipeline(
  settings: SubgraphSettings,
  state: SubgraphState,
  deps: PipelineDeps,
): SubgraphSend {
  const { name } = settings;
  const { subgraphMetrics } = deps;
  const layers: SubgraphLayer[] = [
    checkDeadline(name, {
      now: deps.now,
      onRefused: () => subgraphMetrics.failedFast.inc({ subgraph: name, reason: 'deadline' }),
    }),
    // Layers that are switched off are left out, not run as no-ops.
    ...(settings.breaker.enabled
      ? [
          guardWithBreaker(name, state.breaker, settings.breaker, () =>
            subgraphMetrics.failedFast.inc({ subgraph: name, reason: 'circuit_open' }),
          ),
        ]
      : []),
    ...(settings.retry.maxRetries > 0
      ? [
          retryFailedQueries(name, settings.retry, state.retryBudget, {
            now: deps.now,
            random: deps.random,
            onRetry: (outcome) => subgraphMetrics.retries.inc({ subgraph: name, outcome }),
          }),
        ]
      : []),
    ...(settings.dedupeInflight ? [state.shareInflight] : []),
  ];
  const send = sendToInstance(settings, state.balancer, deps);
  return layers.reduceRight<SubgraphSend>((next, layer) => layer(next), send);
}
