import { ErrorCode } from '../errors/errorCodes.js';
import type { Metrics, SubgraphOutcome } from '../observability/createMetrics.js';
import type { InstanceBalancer } from './createInstanceBalancer.js';
import type { SubgraphSettings } from './resolveSubgraphSettings.js';
import { describeEndedRequest, SubgraphCallError } from './SubgraphCallError.js';
import type { SubgraphAnswer, SubgraphSend } from './SubgraphCall.js';
import { ResponseTooLargeError, type SubgraphFetch } from './SubgraphFetch.js';
import { pickResponseHeaders } from './pickResponseHeaders.js';
import { raceAbort } from './raceAbort.js';

export interface SendDeps {
  readonly fetch: SubgraphFetch;
  readonly metrics: Metrics;
  readonly now: () => number;
  /** Header carrying the call's time budget in ms (`deadline.header`). */
  readonly deadlineHeader: string;
}

/**
 * The last step: picks an instance, sends one HTTP POST there and reads the body. The call's timeout is the
 * subgraph's `timeoutMs` or what is left of the request's deadline, whichever is shorter, and the subgraph is
 * told that budget in the deadline header so it can stop work nobody will wait for. Every attempt is counted
 * in `graft_subgraph_requests_total` and timed.
 */
export function sendToInstance(
  settings: SubgraphSettings,
  balancer: InstanceBalancer,
  deps: SendDeps,
): SubgraphSend {
  const { name: subgraph, timeoutMs } = settings;
  // Labelled children once per subgraph: prom-client would hash the label set on every call otherwise.
  const duration = deps.metrics.subgraphDuration.labels({ subgraph });
  const requests = new Map<SubgraphOutcome, { inc(): void }>();
  const countRequest = (outcome: SubgraphOutcome) => {
    let counter = requests.get(outcome);
    if (!counter) {
      counter = deps.metrics.subgraphRequests.labels({ subgraph, outcome });
      requests.set(outcome, counter);
    }
    counter.inc();
  };
  return async (call) => {
    const remainingMs = call.deadlineAtMs - deps.now();
    if (call.signal.aborted || remainingMs <= 0) throw describeEndedRequest(subgraph, call, deps.now());
    const budgetMs = Math.min(timeoutMs, remainingMs);
    const lease = balancer.acquire(settings.instances, settings.balancing);
    // One controller and one timer per call, both released when the call settles: aborted by the call's
    // budget or by the request's signal (deadline, client gone), whichever comes first.
    const controller = new AbortController();
    const { signal } = controller;
    const timer = setTimeout(() => controller.abort(), budgetMs);
    const forwardAbort = () => controller.abort(call.signal.reason);
    call.signal.addEventListener('abort', forwardAbort, { once: true });
    const ended = (): SubgraphCallError =>
      call.signal.aborted
        ? describeEndedRequest(subgraph, call, deps.now())
        : budgetMs < timeoutMs
          ? new SubgraphCallError(
              ErrorCode.DEADLINE_EXCEEDED,
              'deadline',
              `The request's deadline passed before subgraph "${subgraph}" answered`,
            )
          : new SubgraphCallError(
              ErrorCode.SUBGRAPH_TIMEOUT,
              'timeout',
              `Subgraph "${subgraph}" did not answer within ${timeoutMs} ms`,
            );
    // Schema reads are not client traffic: they stay out of the request metrics.
    const stopTimer = call.isSchemaRead ? undefined : duration.startTimer();
    let outcome: SubgraphOutcome = 'success';
    try {
      const answer = await raceAbort(
        (async (): Promise<SubgraphAnswer> => {
          const response = await deps.fetch(lease.url, {
            method: 'POST',
            headers: { ...call.headers, [deps.deadlineHeader]: String(budgetMs) },
            body: call.body,
            signal,
            ...(call.maxResponseBytes === undefined ? {} : { maxResponseBytes: call.maxResponseBytes }),
            ...(settings.tls ? { tls: settings.tls } : {}),
          });
          const text = await response.text();
          if (call.maxResponseBytes !== undefined && Buffer.byteLength(text) > call.maxResponseBytes)
            throw new ResponseTooLargeError(call.maxResponseBytes);
          const retryAfterMs = parseRetryAfterMs(response.headers?.get('retry-after'), deps.now());
          return {
            status: response.status,
            text,
            ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
            ...(call.passBackHeaders
              ? { passedBack: pickResponseHeaders(response.headers, call.passBackHeaders) }
              : {}),
          };
        })(),
        signal,
        ended,
      );
      if (answer.status < 200 || answer.status >= 300) outcome = 'http_error';
      lease.release(answer.status >= 500 ? 'failure' : 'success');
      return answer;
    } catch (error) {
      const failure = toCallError(error, subgraph, ended, signal);
      outcome = OUTCOME_OF[failure.kind];
      lease.release(failure.isSubgraphFault ? 'failure' : 'ignored');
      throw failure;
    } finally {
      clearTimeout(timer);
      call.signal.removeEventListener('abort', forwardAbort);
      if (stopTimer) {
        stopTimer();
        countRequest(outcome);
      }
    }
  };
}

const OUTCOME_OF: Record<SubgraphCallError['kind'], SubgraphOutcome> = {
  unreachable: 'unreachable',
  timeout: 'timeout',
  too_large: 'bad_response',
  circuit_open: 'unreachable',
  deadline: 'timeout',
  cancelled: 'cancelled',
};

function toCallError(
  error: unknown,
  subgraph: string,
  ended: () => SubgraphCallError,
  signal: AbortSignal,
): SubgraphCallError {
  if (error instanceof SubgraphCallError) return error;
  if (error instanceof ResponseTooLargeError)
    return new SubgraphCallError(
      ErrorCode.SUBGRAPH_BAD_RESPONSE,
      'too_large',
      `Subgraph "${subgraph}" answered more than ${error.maxBytes} bytes`,
      { cause: error },
    );
  if (signal.aborted) return ended();
  // The transport's own timers (undici's headers and body timeouts) say the same as ours.
  if (error instanceof Error && error.name === 'TimeoutError')
    return new SubgraphCallError(ErrorCode.SUBGRAPH_TIMEOUT, 'timeout', `Subgraph "${subgraph}" timed out`, {
      cause: error,
    });
  return new SubgraphCallError(
    ErrorCode.SUBGRAPH_UNREACHABLE,
    'unreachable',
    `Subgraph "${subgraph}" could not be reached`,
    { cause: error },
  );
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now; undefined if absent or bad. */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
