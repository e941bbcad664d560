import type { ReadableHeaders } from './pickResponseHeaders.js';
import type { SubgraphTlsSettings } from './resolveSubgraphSettings.js';

/**
 * The slice of WHATWG `fetch` that subgraph transport uses. Global `fetch` satisfies it, so tests inject
 * in-process services as a plain fetch function; production uses `createPooledFetch` (undici connection pools).
 */
export type SubgraphFetch = (
  url: string,
  init: {
    method: 'POST';
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
    /**
     * Largest body to read: past it the transport stops reading and rejects with `ResponseTooLargeError`.
     * A transport that ignores it is checked after the fact by the caller.
     */
    maxResponseBytes?: number;
    /**
     * TLS towards an https instance (`subgraphRequests.tls`, `subgraphs[].tls`): the pooled transport connects
     * with it; an injected in-process transport has no connection to apply it to.
     */
    tls?: SubgraphTlsSettings;
  },
) => Promise<{
  status: number;
  text(): Promise<string>;
  /** Response headers, where the transport gives them (`Retry-After` and passed-back headers). */
  headers?: ReadableHeaders;
}>;

/** A response body longer than the caller's `maxResponseBytes`. */
export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the response is larger than ${maxBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}
