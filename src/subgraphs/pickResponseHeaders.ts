/**
 * Response headers that never pass from a subgraph to the client, allow-listed or not: RFC 9110 §7.6.1
 * connection-specific headers, those that describe one hop's body (graft sends its own body, encoded its own
 * way), and those graft sets itself on every answer (request id, CORS, `Vary`). The config refuses them in
 * `headers.response` and `subgraphs[].responseHeaders`; this list is also the runtime guard.
 */
export const NEVER_PASSED_BACK: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'content-encoding',
  'content-type',
  'content-range',
  'vary',
  'date',
  'x-request-id',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-headers',
  'access-control-allow-methods',
  'access-control-expose-headers',
  'access-control-max-age',
]);

/** The slice of a transport's response headers read here (WHATWG `Headers` satisfies it). */
export interface ReadableHeaders {
  get(name: string): string | null;
  /** Every `Set-Cookie` line, unjoined (cookie dates hold commas, so a joined value cannot be split). */
  getSetCookie?(): string[];
}

/**
 * The allow-listed headers of one subgraph answer, as name/value pairs (one pair per `Set-Cookie` line).
 * A header the answer's own `Connection` header names is hop-by-hop for that answer and is left out too.
 */
export function pickResponseHeaders(
  headers: ReadableHeaders | undefined,
  allowList: readonly string[],
): Array<readonly [string, string]> {
  if (!headers) return [];
  const connection = headers.get('connection');
  const namedHopByHop = new Set(
    connection ? connection.split(',').map((token) => token.trim().toLowerCase()) : [],
  );
  const picked: Array<readonly [string, string]> = [];
  for (const name of allowList) {
    if (NEVER_PASSED_BACK.has(name) || namedHopByHop.has(name)) continue;
    if (name === 'set-cookie') {
      const lines = headers.getSetCookie?.() ?? [headers.get(name)].filter((line) => line !== null);
      for (const line of lines) picked.push([name, line]);
      continue;
    }
    const value = headers.get(name);
    if (value !== null) picked.push([name, value]);
  }
  return picked;
}
