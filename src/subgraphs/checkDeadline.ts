import { describeEndedRequest } from './SubgraphCallError.js';
import type { SubgraphLayer } from './SubgraphCall.js';

/** Refuses a call whose request has already ended (deadline passed, client gone): nothing is sent. */
export function checkDeadline(
  subgraph: string,
  deps: { readonly now: () => number; readonly onRefused: () => void },
): SubgraphLayer {
  return (next) => (call) => {
    const now = deps.now();
    if (call.signal.aborted || now >= call.deadlineAtMs) {
      deps.onRefused();
      return Promise.reject(describeEndedRequest(subgraph, call, now));
    }
    return next(call);
  };
}
