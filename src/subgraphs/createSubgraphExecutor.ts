import { setMaxListeners } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import { GraphQLError, print, type DocumentNode } from 'graphql';
import { ErrorCode } from '../errors/errorCodes.js';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import { REQUEST_ID_HEADER } from '../observability/resolveRequestId.js';
import {
  formatTraceparent,
  resolveTraceContext,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  type TraceContext,
} from '../observability/resolveTraceContext.js';
import { applyHeaderRules } from './applyHeaderRules.js';
import { SubgraphCallError } from './SubgraphCallError.js';
import type { HeaderRule } from './subgraphsConfigSchema.js';
import type { SubgraphAnswer, SubgraphSend } from './SubgraphCall.js';

export interface SubgraphEndpoint {
  readonly name: string;
  /** Static headers from config, sent on every request. */
  readonly headers: Readonly<Record<string, string>>;
  /** Picks the client headers allow-listed for this subgraph alone (`subgraphs[].propagate`). Default: none. */
  readonly propagateHeaders?: ((headers: IncomingHttpHeaders) => Record<string, string>) | undefined;
  /** Budget of a call made outside a client request (no deadline in the context). */
  readonly timeoutMs: number;
  /** `subgraphs[].headerRules`, applied before graft's own headers (request id, trace) are added. */
  readonly headerRules: readonly HeaderRule[];
  /** Response headers passed back to the client (`headers.response` and `responseHeaders`). Default: none. */
  readonly passBackHeaders?: readonly string[] | undefined;
}

export interface SubgraphExecutorDeps {
  /** The subgraph's call pipeline (see pipeline.ts). */
  readonly send: SubgraphSend;
  readonly now: () => number;
}

const printedDocuments = new WeakMap<DocumentNode, string>();
const NEVER_ABORTED = new AbortController().signal;
// Every call without a request of its own listens on this one signal.
setMaxListeners(Infinity, NEVER_ABORTED);

/**
 * A subgraph as graphql-tools sees it: turns an execution request into a GraphQL-over-HTTP call (static
 * headers, forwarded client and claim headers, the request id and a W3C `traceparent`) on the request's
 * deadline and abort signal, sends it down the subgraph's call pipeline, and reads the answer. Identical
 * queries (same document, variables and forwarded headers; request id and trace aside) may share one call.
 * Transport failures come back as GraphQL errors with a stable code and `serviceName`, so only the affected
 * fields are null.
 */
export function createSubgraphExecutor(endpoint: SubgraphEndpoint, deps: SubgraphExecutorDeps): Executor {
  const { name } = endpoint;
  // A cookie a subgraph sets is meant for one client: a call that passes Set-Cookie back is never shared.
  const mayShare = !endpoint.passBackHeaders?.includes('set-cookie');
  return async function executeOnSubgraph(request: ExecutionRequest): Promise<ExecutionResult> {
    const context = request.context as GatewayContext | undefined;
    const body = JSON.stringify({
      query: printDocument(request.document),
      variables: request.variables,
      operationName: request.operationName,
    });
    const gathered: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...endpoint.headers,
      ...(context && endpoint.propagateHeaders?.(context.requestHeaders)),
      ...context?.forwardedHeaders,
    };
    const headers =
      endpoint.headerRules.length > 0 ? applyHeaderRules(gathered, endpoint.headerRules) : gathered;
    const isQuery = request.operationType === 'query';
    try {
      const answer = await deps.send({
        body,
        // The request id and trace context identify this caller's request, not what is asked: they stay out
        // of the dedupe key (a shared call carries the first caller's).
        headers: {
          ...headers,
          ...(context ? { [REQUEST_ID_HEADER]: context.requestId } : {}),
          ...traceHeaders(context?.traceContext ?? resolveTraceContext({})),
        },
        dedupeKey: isQuery && mayShare ? `${body}\n${JSON.stringify(headers)}` : undefined,
        idempotent: isQuery,
        signal: context?.signal ?? NEVER_ABORTED,
        deadlineAtMs: context?.deadlineAtMs ?? deps.now() + endpoint.timeoutMs,
        ...(endpoint.passBackHeaders ? { passBackHeaders: endpoint.passBackHeaders } : {}),
      });
      if (answer.passedBack && endpoint.passBackHeaders)
        context?.responseHeaders?.add(name, endpoint.passBackHeaders, answer.passedBack);
      return parseSubgraphResponse(answer, name);
    } catch (error) {
      if (!(error instanceof SubgraphCallError)) throw error;
      // An open circuit is logged once, when it opens; one line per refused call would flood the log.
      const level = error.kind === 'circuit_open' || error.kind === 'cancelled' ? 'debug' : 'warn';
      context?.logger[level](
        { subgraph: name, code: error.code, err: error.message },
        'subgraph call failed',
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

/**
 * GraphQL over HTTP lets a subgraph answer a GraphQL body with a 4xx/5xx status, so the body decides: a
 * GraphQL response is used whatever the status; anything else is a transport error with a stable code.
 */
function parseSubgraphResponse(raw: SubgraphAnswer, subgraph: string): ExecutionResult {
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

/** Whether a parsed body is a GraphQL response (`data` object or null, or a list of errors with messages). */
export function isGraphQLResponse(value: unknown): value is WireGraphQLResponse {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { data, errors } = value as WireGraphQLResponse;
  const hasData = data === null || (typeof data === 'object' && !Array.isArray(data));
  const hasErrors =
    Array.isArray(errors) &&
    errors.every((e) => typeof e === 'object' && e !== null && typeof e.message === 'string');
  return hasData || hasErrors;
}
