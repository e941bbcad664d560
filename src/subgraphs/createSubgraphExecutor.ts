import type { IncomingHttpHeaders } from 'node:http';
import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import { GraphQLError, print, type DocumentNode } from 'graphql';
import { ErrorCode } from '../errors/errorCodes.js';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { Metrics, SubgraphOutcome } from '../observability/createMetrics.js';
import { REQUEST_ID_HEADER } from '../observability/resolveRequestId.js';
import {
  formatTraceparent,
  resolveTraceContext,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  type TraceContext,
} from '../observability/resolveTraceContext.js';
import { createInflightDeduper } from './createInflightDeduper.js';
import type { SubgraphFetch } from './SubgraphFetch.js';

export interface SubgraphEndpoint {
  readonly name: string;
  readonly url: string;
  /** Static headers from config, sent on every request. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Picks the client headers allow-listed for this subgraph alone (`subgraphs[].propagate`). Default: none. */
  readonly propagateHeaders?: (headers: IncomingHttpHeaders) => Record<string, string>;
}

export interface SubgraphExecutorDeps {
  readonly fetch: SubgraphFetch;
  readonly metrics: Metrics;
  readonly dedupeInflight: boolean;
}

interface RawResponse {
  readonly status: number;
  readonly text: string;
}

/** A request that never produced a GraphQL response; becomes a field error with a stable code. */
class SubgraphTransportError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly outcome: SubgraphOutcome,
    message: string,
  ) {
    super(message);
  }
}

const printedDocuments = new WeakMap<DocumentNode, string>();

/**
 * The one place graft talks to a subgraph: GraphQL over HTTP POST, with the subgraph's timeout, static
 * headers, forwarded client and claim headers, the request id and a W3C `traceparent`, counted in metrics. Identical queries in flight at
 * the same moment (same document, variables and forwarded headers; request id and trace aside) are sent once.
 * Transport failures come back as GraphQL errors, so the stitching layer nulls only the affected fields.
 * Resilience wrappers (retries, breakers) wrap the Executor this returns.
 */
export function createSubgraphExecutor(endpoint: SubgraphEndpoint, deps: SubgraphExecutorDeps): Executor {
  const { name } = endpoint;
  const dedupe = createInflightDeduper<RawResponse>(() =>
    deps.metrics.subgraphDeduplicated.inc({ subgraph: name }),
  );

  async function send(body: string, headers: Record<string, string>): Promise<RawResponse> {
    const stopTimer = deps.metrics.subgraphDuration.startTimer({ subgraph: name });
    let outcome: SubgraphOutcome = 'success';
    try {
      const response = await deps.fetch(endpoint.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(endpoint.timeoutMs),
      });
      const text = await response.text();
      if (response.status < 200 || response.status >= 300) outcome = 'http_error';
      return { status: response.status, text };
    } catch (error) {
      const transportError = toTransportError(error, endpoint);
      outcome = transportError.outcome;
      throw transportError;
    } finally {
      stopTimer();
      deps.metrics.subgraphRequests.inc({ subgraph: name, outcome });
    }
  }

  return async function executeOnSubgraph(request: ExecutionRequest): Promise<ExecutionResult> {
    const context = request.context as GatewayContext | undefined;
    const body = JSON.stringify({
      query: printDocument(request.document),
      variables: request.variables,
      operationName: request.operationName,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...endpoint.headers,
      ...(context && endpoint.propagateHeaders?.(context.requestHeaders)),
      ...context?.forwardedHeaders,
    };
    // The request id and trace context identify this caller's request, not what is asked: they stay out of
    // the dedupe key (a shared request carries the first caller's).
    const withRequestId = {
      ...headers,
      ...(context ? { [REQUEST_ID_HEADER]: context.requestId } : {}),
      ...traceHeaders(context?.traceContext ?? resolveTraceContext({})),
    };

    try {
      const raw =
        deps.dedupeInflight && request.operationType === 'query'
          ? await dedupe(`${body}\n${JSON.stringify(headers)}`, () => send(body, withRequestId))
          : await send(body, withRequestId);
      return parseSubgraphResponse(raw, name);
    } catch (error) {
      if (!(error instanceof SubgraphTransportError)) throw error;
      context?.logger.warn(
        { subgraph: name, code: error.code, err: error.message },
        'subgraph request failed',
      );
      return {
        errors: [new GraphQLError(error.message, { extensions: { code: error.code, serviceName: name } })],
      };
    }
  };
}

function traceHeaders(trace: TraceContext): Record<string, string> {
  const headers: Record<string, string> = { [TRACEPARENT_HEADER]: formatTraceparent(trace) };
  if (trace.tracestate !== undefined) headers[TRACESTATE_HEADER] = trace.tracestate;
  return headers;
}

function printDocument(document: DocumentNode): string {
  let printed = printedDocuments.get(document);
  if (printed === undefined) {
    printed = print(document);
    printedDocuments.set(document, printed);
  }
  return printed;
}

function toTransportError(error: unknown, endpoint: SubgraphEndpoint): SubgraphTransportError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new SubgraphTransportError(
      ErrorCode.SUBGRAPH_TIMEOUT,
      'timeout',
      `Subgraph "${endpoint.name}" did not answer within ${endpoint.timeoutMs} ms`,
    );
  }
  return new SubgraphTransportError(
    ErrorCode.SUBGRAPH_UNREACHABLE,
    'unreachable',
    `Subgraph "${endpoint.name}" could not be reached`,
  );
}

/**
 * GraphQL over HTTP lets a subgraph answer a GraphQL body with a 4xx/5xx status, so the body decides: a
 * GraphQL response is used whatever the status; anything else is a transport error with a stable code.
 */
function parseSubgraphResponse(raw: RawResponse, subgraph: string): ExecutionResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.text);
  } catch {
    parsed = undefined;
  }
  if (!isGraphQLResponse(parsed)) {
    const isHttpError = raw.status < 200 || raw.status >= 300;
    const code = isHttpError ? ErrorCode.SUBGRAPH_HTTP_ERROR : ErrorCode.SUBGRAPH_BAD_RESPONSE;
    const message = isHttpError
      ? `Subgraph "${subgraph}" answered HTTP ${raw.status}`
      : `Subgraph "${subgraph}" did not answer with a GraphQL response`;
    return { errors: [new GraphQLError(message, { extensions: { code, serviceName: subgraph } })] };
  }
  if (parsed.errors) {
    for (const error of parsed.errors) {
      error.extensions = {
        ...error.extensions,
        code: error.extensions?.code ?? ErrorCode.DOWNSTREAM_SERVICE_ERROR,
        serviceName: subgraph,
      };
    }
  }
  return parsed as ExecutionResult;
}

interface WireGraphQLResponse {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

function isGraphQLResponse(value: unknown): value is WireGraphQLResponse {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { data, errors } = value as WireGraphQLResponse;
  const hasData = data === null || (typeof data === 'object' && !Array.isArray(data));
  const hasErrors =
    Array.isArray(errors) &&
    errors.every((e) => typeof e === 'object' && e !== null && typeof e.message === 'string');
  return hasData || hasErrors;
}
