import type { RetrySettings } from './resolveSubgraphSettings.js';

/** Window over which retries are weighed against first attempts. */
export const RETRY_BUDGET_WINDOW_MS = 10_000;

export interface RetryBudget {
  /** A first attempt was made: it earns `budgetRatio` of a retry. */
  recordAttempt(): void;
  /** Takes one retry from the budget; false when it is spent. */
  tryRetry(settings: RetrySettings): boolean;
}

/**
 * Finagle's retry budget, in fixed windows: in each window of 10 s, retries may number at most
 * `budgetMinRetries + budgetRatio × first attempts`. During an outage every call fails, and without a budget
 * each would be sent `maxRetries + 1` times; with it, load on the failing subgraph grows by at most
 * `budgetRatio` (plus the small constant), however long the outage lasts.
 */
export function createRetryBudget(deps: { readonly now: () => number }): RetryBudget {
  let windowStart = -Infinity;
  let attempts = 0;
  let retries = 0;
  const roll = () => {
    const now = deps.now();
    if (now - windowStart >= RETRY_BUDGET_WINDOW_MS) {
      windowStart = now;
      attempts = 0;
      retries = 0;
    }
  };
  return {
    recordAttempt() {
      roll();
      attempts += 1;
    },
    tryRetry({ budgetMinRetries, budgetRatio }) {
      roll();
      if (retries + 1 > budgetMinRetries + budgetRatio * attempts) return false;
      retries += 1;
      return true;
    },
  };
}
