import { Agent, request } from 'undici';
import type { SubgraphFetch } from './SubgraphFetch.js';

/**
 * Subgraph HTTP over undici's `request` with keep-alive connection pools: several times cheaper per call
 * than `fetch`, which matters on the fan-out hot path. `close()` drains the pools at shutdown.
 */
export function createPooledFetch(maxConnectionsPerOrigin: number): {
  fetch: SubgraphFetch;
  close(): Promise<void>;
} {
  const agent = new Agent({ connections: maxConnectionsPerOrigin, keepAliveTimeout: 30_000 });
  return {
    fetch: async (url, init) => {
      const response = await request(url, { ...init, dispatcher: agent });
      return { status: response.statusCode, text: () => response.body.text() };
    },
    close: () => agent.close(),
  };
}
