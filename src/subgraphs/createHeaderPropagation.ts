import type { IncomingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 connection-specific headers, plus those that describe this hop's body; never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'content-type',
  'accept-encoding',
]);

export interface HeaderPropagationOptions {
  /**
   * Headers graft sets itself on subgraph requests (claim headers, request id, trace context): a client can
   * never supply them, even when an allow-list names them.
   */
  readonly reserved?: Iterable<string>;
}

/**
 * Client headers reach subgraphs only by allow-list. Returns the function that picks, per request, the
 * allowed headers a client sent; their values become part of the subgraph in-flight dedupe key. Hop-by-hop
 * headers never pass, nor any header the client's own `Connection` header declares hop-by-hop.
 */
export function createHeaderPropagation(
  allowList: readonly string[],
  options: HeaderPropagationOptions = {},
): (headers: IncomingHttpHeaders) => Record<string, string> {
  const reserved = new Set([...(options.reserved ?? [])].map((name) => name.toLowerCase()));
  const allowed = [...new Set(allowList.map((name) => name.toLowerCase()))].filter(
    (name) => !HOP_BY_HOP.has(name) && !reserved.has(name),
  );
  return (headers) => {
    const forwarded: Record<string, string> = {};
    if (allowed.length === 0) return forwarded;
    const connectionScoped = listConnectionHeaders(headers.connection);
    for (const name of allowed) {
      const value = headers[name];
      if (value !== undefined && !connectionScoped.has(name))
        forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return forwarded;
  };
}

function listConnectionHeaders(value: string | string[] | undefined): Set<string> {
  if (value === undefined) return new Set();
  const joined = Array.isArray(value) ? value.join(',') : value;
  return new Set(
    joined
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
  );
}
