import type { ReadableHeaders } from './pickResponseHeaders.js';

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
