import type { BreakerSettings } from './resolveSubgraphSettings.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** What a finished call tells the breaker; `ignored` (the client left, the request's deadline) says nothing. */
export type CallVerdict = 'success' | 'failure' | 'ignored';

export interface CircuitBreaker {
  /**
   * Asks to send one call. Undefined: the circuit is open (or all half-open probes are out), fail fast.
   * Otherwise the caller must `settle` the permit exactly once with the call's verdict.
   */
  tryAcquire(settings: BreakerSettings): { settle(verdict: CallVerdict): void } | undefined;
  state(): CircuitState;
}

/** Buckets the window is cut into: the ratio slides in steps of a tenth of the window. */
const BUCKETS = 10;

/**
 * closed → open when, over the last `windowMs`, at least `minimumRequests` calls finished and the share of
 * failures reached `failureRatio`; open → half-open after `openMs` (the next call becomes a probe, at most
 * `halfOpenProbes` at once); half-open → closed on a probe's success (the window starts empty) or back to
 * open on a probe's failure. A small state machine rather than cockatiel's `SamplingBreaker`, whose volume
 * threshold is a rate (calls per second) rather than a count and whose window cannot be reconfigured live. Settings come with each call, from the graph that makes it, so
 * a dry run of a registration with other thresholds never changes the served graph's breaker.
 */
export function createCircuitBreaker(deps: {
  readonly now: () => number;
  readonly onTransition: (from: CircuitState, to: CircuitState) => void;
}): CircuitBreaker {
  let state: CircuitState = 'closed';
  let openedAt = 0;
  let probesOut = 0;
  // Ring of { start, total, failures } buckets covering the window.
  const buckets = Array.from({ length: BUCKETS }, () => ({ start: -Infinity, total: 0, failures: 0 }));

  const transition = (to: CircuitState) => {
    const from = state;
    if (from === to) return;
    state = to;
    if (to === 'open') openedAt = deps.now();
    if (to === 'closed') for (const bucket of buckets) bucket.start = -Infinity;
    deps.onTransition(from, to);
  };

  const record = (failed: boolean, settings: BreakerSettings) => {
    const now = deps.now();
    const width = settings.windowMs / BUCKETS;
    const start = Math.floor(now / width) * width;
    const bucket = buckets[Math.floor(now / width) % BUCKETS]!;
    if (bucket.start !== start) {
      bucket.start = start;
      bucket.total = 0;
      bucket.failures = 0;
    }
    bucket.total += 1;
    if (failed) bucket.failures += 1;
    let total = 0;
    let failures = 0;
    for (const b of buckets) {
      if (b.start > now - settings.windowMs) {
        total += b.total;
        failures += b.failures;
      }
    }
    if (total >= settings.minimumRequests && failures / total >= settings.failureRatio) transition('open');
  };

  return {
    tryAcquire(settings) {
      if (!settings.enabled) return { settle() {} };
      if (state === 'open') {
        if (deps.now() - openedAt < settings.openMs) return undefined;
        transition('half-open');
      }
      if (state === 'half-open') {
        if (probesOut >= settings.halfOpenProbes) return undefined;
        probesOut += 1;
        let settled = false;
        return {
          settle(verdict) {
            if (settled) return;
            settled = true;
            probesOut -= 1;
            if (state !== 'half-open' || verdict === 'ignored') return;
            transition(verdict === 'success' ? 'closed' : 'open');
          },
        };
      }
      let settled = false;
      return {
        settle(verdict) {
          if (settled || verdict === 'ignored') return;
          settled = true;
          // A call that started before the circuit opened is not a probe: it only counts while closed.
          if (state === 'closed') record(verdict === 'failure', settings);
        },
      };
    },
    state: () => state,
  };
}
