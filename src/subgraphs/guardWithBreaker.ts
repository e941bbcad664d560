import { ErrorCode } from '../errors/errorCodes.js';
import type { CircuitBreaker } from './createCircuitBreaker.js';
import type { BreakerSettings } from './resolveSubgraphSettings.js';
import { SubgraphCallError } from './SubgraphCallError.js';
import type { SubgraphLayer } from './SubgraphCall.js';

/**
 * Fails fast with `CIRCUIT_OPEN` while the subgraph's breaker is open: no socket is opened. A call's verdict
 * is its final outcome after retries: transport errors, timeouts and HTTP 5xx are failures; a client that
 * left or a spent request deadline are not the subgraph's fault and are ignored.
 */
export function guardWithBreaker(
  subgraph: string,
  breaker: CircuitBreaker,
  settings: BreakerSettings,
  onRefused: () => void,
): SubgraphLayer {
  return (next) => async (call) => {
    const permit = breaker.tryAcquire(settings);
    if (!permit) {
      onRefused();
      throw new SubgraphCallError(
        ErrorCode.CIRCUIT_OPEN,
        'circuit_open',
        `Subgraph "${subgraph}" is failing; its circuit breaker is open`,
      );
    }
    try {
      const answer = await next(call);
      permit.settle(answer.status >= 500 ? 'failure' : 'success');
      return answer;
    } catch (error) {
      permit.settle(error instanceof SubgraphCallError && error.isSubgraphFault ? 'failure' : 'ignored');
      throw error;
    }
  };
}
