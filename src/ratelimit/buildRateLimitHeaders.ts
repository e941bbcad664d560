import type { RequestLimit } from './createLimiterStore.js';

/**
 * The `RateLimit-*` headers (IETF draft "RateLimit header fields for HTTP") for the per-client operation
 * limit: the limit, what is left of it, and the seconds until the window resets. `Retry-After` (seconds) is
 * added when the request was refused.
 */
export function buildRateLimitHeaders(
  limit: RequestLimit,
  state: { readonly remaining: number; readonly resetMs: number; readonly refused: boolean },
): Array<[string, string]> {
  const resetSec = String(Math.max(1, Math.ceil(state.resetMs / 1000)));
  const headers: Array<[string, string]> = [
    ['ratelimit-limit', String(limit.max)],
    ['ratelimit-remaining', String(Math.max(0, state.remaining))],
    ['ratelimit-reset', resetSec],
  ];
  if (state.refused) headers.push(['retry-after', resetSec]);
  return headers;
}
