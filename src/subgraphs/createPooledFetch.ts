import { Agent, request } from 'undici';
import type { ConnectLookup } from '../registry/createPublicOnlyLookup.js';
import type { SubgraphFetch } from './SubgraphFetch.js';

/**
 * Subgraph HTTP over undici's `request` with keep-alive connection pools: several times cheaper per call
 * than `fetch`, which matters on the fan-out hot path. `close()` drains the pools at shutdown.
 */
export function createPooledFetch(
  maxConnectionsPerOrigin: number,
  /** DNS for new connections (e.g. the admin API's private-network guard). Default: the system resolver. */
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
    fetch: async (url, init) => {
      const response = await request(url, { ...init, dispatcher: agent });
      return { status: response.statusCode, text: () => response.body.text() };
    },
    close: () => agent.close(),
  };
}
