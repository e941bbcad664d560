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

/**
 * Client headers reach subgraphs only by allow-list. Returns the function that picks, per request, the
 * allowed headers a client sent; their values become part of the subgraph in-flight dedupe key.
 */
export function createHeaderPropagation(
  allowList: readonly string[],
): (headers: IncomingHttpHeaders) => Record<string, string> {
  const allowed = [...new Set(allowList.map((name) => name.toLowerCase()))].filter(
    (name) => !HOP_BY_HOP.has(name),
  );
  return (headers) => {
    const forwarded: Record<string, string> = {};
    for (const name of allowed) {
      const value = headers[name];
      if (value !== undefined) forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return forwarded;
  };
}
