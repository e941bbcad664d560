import type { RetryBudget } from './createRetryBudget.js';
import type { RetrySettings } from './resolveSubgraphSettings.js';
import { describeEndedRequest, SubgraphCallError } from './SubgraphCallError.js';
import type { SubgraphAnswer, SubgraphLayer } from './SubgraphCall.js';
import { waitOrAbort } from './raceAbort.js';

/** Statuses that say "not now" rather than "no": the same query may succeed on a second try. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export interface RetryDeps {
  readonly now: () => number;
  /** Uniform in [0, 1), for jitter. */
  readonly random: () => number;
  readonly onRetry: (outcome: 'sent' | 'budget_exhausted') => void;
}

/**
 * Retries idempotent calls (queries, `_entities` fetches, schema reads; never mutations) that failed to
 * connect or got 502/503/504/429, up to `maxRetries` times. Waits full-jitter exponential backoff
 * (`random × min(maxDelayMs, baseDelayMs × 2^n)`), or exactly `Retry-After` when the subgraph sent one
 * (giving up when that is longer than `maxDelayMs`). Never waits past the request's deadline, and never
 * beyond the subgraph's retry budget. Timeouts are not retried: a subgraph too slow once is likely too slow
 * twice, and the deadline is better spent elsewhere.
 */
export function retryFailedQueries(
  subgraph: string,
  settings: RetrySettings,
  budget: RetryBudget,
  deps: RetryDeps,
): SubgraphLayer {
  return (next) => async (call) => {
    if (!call.idempotent || settings.maxRetries === 0) return next(call);
    budget.recordAttempt();
    for (let retry = 0; ; retry += 1) {
      let failure: SubgraphCallError | SubgraphAnswer;
      try {
        const answer = await next(call);
        if (!RETRYABLE_STATUSES.has(answer.status)) return answer;
        failure = answer;
      } catch (error) {
        if (!(error instanceof SubgraphCallError) || error.kind !== 'unreachable') throw error;
        failure = error;
      }
      const delayMs = chooseDelay(failure, retry, settings, deps.random);
      if (retry >= settings.maxRetries || delayMs === undefined || deps.now() + delayMs >= call.deadlineAtMs)
        return giveUp(failure);
      if (!budget.tryRetry(settings)) {
        deps.onRetry('budget_exhausted');
        return giveUp(failure);
      }
      deps.onRetry('sent');
      await waitOrAbort(delayMs, call.signal, () => describeEndedRequest(subgraph, call, deps.now()));
    }
  };
}

function chooseDelay(
  failure: SubgraphCallError | SubgraphAnswer,
  retry: number,
  settings: RetrySettings,
  random: () => number,
): number | undefined {
  if (!(failure instanceof SubgraphCallError) && failure.retryAfterMs !== undefined)
    return failure.retryAfterMs <= settings.maxDelayMs ? failure.retryAfterMs : undefined;
  return random() * Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retry);
}

function giveUp(failure: SubgraphCallError | SubgraphAnswer): SubgraphAnswer {
  if (failure instanceof SubgraphCallError) throw failure;
  return failure;
}
