import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../observability/createLogger.js';
import type { TraceContext } from '../observability/resolveTraceContext.js';
import type { RequestTrace } from '../observability/tracing/RequestTrace.js';
import type { ResponseHeaderCollector } from '../subgraphs/collectResponseHeaders.js';

/**
 * Per-request state. Apollo Server builds a fresh one for every HTTP request; graphql-tools keys its
 * DataLoaders and query batches by this object's identity, so they are born and die with the request and
 * can never hand one user's data to another.
 */
export interface GatewayContext {
  readonly requestId: string;
  readonly logger: Logger;
  /** The client's request headers (names lower-case), for plugins that need them (API keys, proxies). */
  readonly requestHeaders: IncomingHttpHeaders;
  /** Address of the TCP peer (a proxy, behind one); plugins decide whether to trust X-Forwarded-For. */
  readonly peerAddress: string;
  /**
   * Headers sent on to every subgraph: allow-listed client headers and the configured claim headers of a
   * verified token (`x-user-id` from `sub`, …). Part of the in-flight dedupe key, so two callers' requests
   * are never shared.
   */
  readonly forwardedHeaders: Readonly<Record<string, string>>;
  /** The W3C trace this request belongs to; each subgraph request carries it in `traceparent`. */
  readonly traceContext?: TraceContext;
  /** This request's OpenTelemetry spans; absent when tracing is off (`tracing.enabled`). */
  readonly trace?: RequestTrace;
  /**
   * Claims of the caller's verified token (set by auth); absent for anonymous callers. Only verified claims go
   * here: rate limits key buckets by `sub`, and authorization decides on them.
   */
  readonly claims?: Readonly<Record<string, unknown>>;
  /**
   * Aborted when the request's deadline passes or its client disconnects before the response is sent:
   * outstanding subgraph calls stop at once. Set by `createContext`; absent only in hand-built contexts.
   */
  readonly signal?: AbortSignal;
  /**
   * The request's deadline in ms since the epoch (`deadline.defaultMs`, or the client's deadline header
   * within `deadline.maxMs`): subgraph calls, retries and backoffs all fit inside it.
   */
  readonly deadlineAtMs?: number;
  /**
   * Allow-listed subgraph response headers gathered for this request's HTTP answer (`headers.response`);
   * absent when no allow-list is configured.
   */
  readonly responseHeaders?: ResponseHeaderCollector;
}
