import { AsyncLocalStorage } from 'node:async_hooks';
import {
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

/**
 * One traced request: its server span and what its children need. Lives in the request's GatewayContext
 * (`trace`), absent when tracing is off, so every tracing path starts with a cheap `if (!context.trace)`.
 */
export interface RequestTrace {
  readonly tracer: Tracer;
  /** The request's server span. */
  readonly span: Span;
  /** `span` as the parent of the request's direct children. */
  readonly context: Context;
  /** The execution span, once execution starts: subgraph fetches without a closer parent hang under it. */
  executeContext?: Context;
  /**
   * Operations in flight on this request (a batched HTTP request carries several). Without an HTTP response
   * to follow (see `endsWithResponse`) the span ends with the last one.
   */
  pendingOperations: number;
  /**
   * The span ends when the HTTP response closes, whatever path the request took (refusals before parsing
   * skip Apollo's response hooks). False only where no response is known.
   */
  endsWithResponse: boolean;
  /** Error codes of the answers so far, for the server span. */
  readonly errorCodes: Set<string>;
  /** Why the request failed when no GraphQL answer says it (a refused token). */
  errorType?: string;
  ended: boolean;
}

/** The span closest to the code running now, within one request: a plan step, a subgraph fetch. */
export interface ActiveSpan {
  readonly context: Context;
  /** HTTP attempts made for the subgraph fetch this span is, counted for `http.request.resend_count`. */
  readonly fetch?: { attempts: number };
}

const active = new AsyncLocalStorage<ActiveSpan>();

/** The span new work of this request hangs under: the active one, else execution, else the request. */
export function currentParent(requestTrace: RequestTrace): Context {
  return active.getStore()?.context ?? requestTrace.executeContext ?? requestTrace.context;
}

export function activeSpan(): ActiveSpan | undefined {
  return active.getStore();
}

/** Runs `work` with `span` as the active span, so what it starts (subgraph fetches) hangs under it. */
export function runWithSpan<T>(activeSpanValue: ActiveSpan, work: () => T): T {
  return active.run(activeSpanValue, work);
}

/**
 * Runs `work` in a child span of the request's current span and ends it, with error status if it throws.
 * Without a trace (tracing off) it only runs `work`. For the plan executor: `graft.plan`, `graft.plan.step`.
 */
export async function inSpan<T>(
  requestTrace: RequestTrace | undefined,
  name: string,
  attributes: Attributes,
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!requestTrace) return work(undefined);
  const parent = currentParent(requestTrace);
  const span = requestTrace.tracer.startSpan(name, { attributes }, parent);
  try {
    return await runWithSpan({ context: trace.setSpan(parent, span) }, () => work(span));
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Error status with the exception recorded (its message, never request data). */
export function markFailed(span: Span, error: unknown, errorType?: string): void {
  const message = error instanceof Error ? error.message : String(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute('error.type', errorType ?? (error instanceof Error ? error.name : 'Error'));
  if (error instanceof Error) span.recordException(error);
}
