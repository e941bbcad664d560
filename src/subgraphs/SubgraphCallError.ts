import { ErrorCode } from '../errors/errorCodes.js';

/**
 * Why a subgraph call produced no response. `unreachable` (connection refused, reset, DNS) is the only kind a
 * retry may repeat; `cancelled` (the client left) and `deadline` (the request's budget ran out) say nothing
 * about the subgraph's health, so neither the breaker nor instance ejection counts them.
 */
export type SubgraphFailureKind =
  'unreachable' | 'timeout' | 'too_large' | 'circuit_open' | 'deadline' | 'cancelled';

/** A subgraph call that never produced a GraphQL response; becomes a field error with a stable code. */
export class SubgraphCallError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly kind: SubgraphFailureKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SubgraphCallError';
  }

  /** Whether this failure counts against the subgraph's (or instance's) health. */
  get isSubgraphFault(): boolean {
    return this.kind === 'unreachable' || this.kind === 'timeout';
  }
}

/**
 * The error for a call whose request ended before the subgraph answered: the deadline passed, or (signal
 * aborted before it) the client went away.
 */
export function describeEndedRequest(
  subgraph: string,
  call: { readonly deadlineAtMs: number },
  nowMs: number,
): SubgraphCallError {
  return nowMs >= call.deadlineAtMs
    ? new SubgraphCallError(
        ErrorCode.DEADLINE_EXCEEDED,
        'deadline',
        `The request's deadline passed before subgraph "${subgraph}" answered`,
      )
    : new SubgraphCallError(
        ErrorCode.REQUEST_CANCELLED,
        'cancelled',
        `The client closed the request before subgraph "${subgraph}" answered`,
      );
}
