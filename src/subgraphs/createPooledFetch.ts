import { Agent, request, type Dispatcher } from 'undici';
import type { ConnectLookup } from '../registry/createPublicOnlyLookup.js';
import { ResponseTooLargeError, type SubgraphFetch } from './SubgraphFetch.js';

/**
 * Subgraph HTTP over undici's `request` with keep-alive connection pools: several times cheaper per call
 * than `fetch`, which matters on the fan-out hot path. The agent keeps one pool per origin, so each instance
 * of a subgraph gets its own pool of at most `maxConnectionsPerOrigin` connections. A body larger than the
 * call's `maxResponseBytes` is cut off as it streams in (the connection is dropped), never buffered whole.
 * `close()` drains the pools at shutdown.
 */
export function createPooledFetch(
  maxConnectionsPerOrigin: number,
  /** DNS for new connections (the admin API's private-network guard). Default: the system resolver. */
  lookup?: ConnectLookup,
): {
  fetch: SubgraphFetch;
  close(): Promise<void>;
} {
  const agent = new Agent({
    connections: maxConnectionsPerOrigin,
    keepAliveTimeout: 30_000,
    ...(lookup ? { connect: { lookup } } : {}),
  });
  return {
    fetch: async (url, { maxResponseBytes, ...init }) => {
      const response = await request(url, { ...init, dispatcher: agent });
      return {
        status: response.statusCode,
        text: () =>
          maxResponseBytes === undefined
            ? response.body.text()
            : readBounded(response.body, maxResponseBytes),
        headers: {
          get: (name) => {
            const value = response.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
          },
          getSetCookie: () => {
            const value = response.headers['set-cookie'];
            return value === undefined ? [] : Array.isArray(value) ? value : [value];
          },
        },
      };
    },
    close: () => agent.close(),
  };
}

async function readBounded(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
