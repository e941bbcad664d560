import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';

/** How the endpoint answers: the key set, an outage (HTTP 503), or not at all (held until `close`). */
export type JwksMode = 'serve' | 'down' | 'hang';

/**
 * An identity provider's JWKS endpoint on a real socket (port 0) whose key set and availability the test
 * changes at will, counting every request it receives: how tests see exactly how often graft fetches keys.
 * It also records requests to any other path, so a test can prove graft never fetched a URL a token named.
 */
export async function startJwksServer(initial: JSONWebKeySet) {
  let jwks = initial;
  let mode: JwksMode = 'serve';
  const requests: string[] = [];
  const held: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url !== '/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
      return;
    }
    switch (mode) {
      case 'serve':
        res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
        res.end(JSON.stringify(jwks));
        return;
      case 'down':
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('identity provider down');
        return;
      case 'hang':
        held.push(req);
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/jwks.json`,
    origin,
    /** Paths requested so far, in order. */
    requests,
    /** Requests for the key set itself. */
    fetchCount: () => requests.filter((path) => path === '/jwks.json').length,
    setKeys(next: JSONWebKeySet) {
      jwks = next;
    },
    setMode(next: JwksMode) {
      mode = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type JwksServer = Awaited<ReturnType<typeof startJwksServer>>;
