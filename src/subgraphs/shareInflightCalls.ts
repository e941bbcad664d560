import { describeEndedRequest } from './SubgraphCallError.js';
import type { SubgraphAnswer, SubgraphLayer } from './SubgraphCall.js';
import { raceAbort } from './raceAbort.js';

interface Flight {
  readonly answer: Promise<SubgraphAnswer>;
  readonly controller: AbortController;
  waiting: number;
}

/**
 * Collapses identical concurrent calls (same `dedupeKey`) into one: later callers share the first one's
 * answer while it is in flight; the entry is dropped as soon as it settles, so nothing is cached. The shared
 * answer is the response *text*, parsed per caller, so no caller can change another's result.
 *
 * A caller that leaves (its client went away, its deadline passed) stops waiting at once; the shared call is
 * aborted only when every caller has left. It runs on the first caller's deadline.
 */
export function shareInflightCalls(
  subgraph: string,
  deps: { readonly now: () => number; readonly onShared: () => void },
): SubgraphLayer {
  const flights = new Map<string, Flight>();
  return (next) => async (call) => {
    const key = call.dedupeKey;
    if (key === undefined) return next(call);
    let flight = flights.get(key);
    if (flight) {
      deps.onShared();
    } else {
      const controller = new AbortController();
      const answer = next({ ...call, signal: controller.signal });
      const started: Flight = { answer, controller, waiting: 0 };
      answer.then(
        () => flights.delete(key),
        () => flights.delete(key),
      );
      flights.set(key, started);
      flight = started;
    }
    flight.waiting += 1;
    try {
      return await raceAbort(flight.answer, call.signal, () =>
        describeEndedRequest(subgraph, call, deps.now()),
      );
    } finally {
      flight.waiting -= 1;
      if (flight.waiting === 0) flight.controller.abort();
    }
  };
}
