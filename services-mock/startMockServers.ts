import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from './createGraphqlHandler.js';
import { createMockServiceSet } from './createMockServiceSet.js';
import type { MockOptions } from './MockOptions.js';
import { MOCK_PORTS, type MockServiceName } from './MockServiceName.js';
import { toNodeRequestListener } from './toNodeRequestListener.js';

export interface StartMockServersOptions<N extends MockServiceName = MockServiceName> extends MockOptions<N> {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port per service (0: ephemeral), or 'ephemeral' for all. Default MOCK_PORTS. */
  ports?: Partial<Record<MockServiceName, number>> | 'ephemeral';
}

export interface RunningMockServers<N extends MockServiceName = MockServiceName> {
  /** `http://<host>:<port>/graphql` per running service. */
  urls: Record<N, string>;
  /** Requests each service received (bodies parsed), for counting and asserting forwarded headers. */
  requests: Record<N, RecordedRequest[]>;
  resetRequests(): void;
  setFailureRate(name: N, rate: number): void;
  /** Stops every server, dropping open connections. */
  close(): Promise<void>;
}

/** The mock services on real sockets, one node:http server each. */
export async function startMockServers<N extends MockServiceName = MockServiceName>(
  options: StartMockServersOptions<N> = {},
): Promise<RunningMockServers<N>> {
  const set = createMockServiceSet(options);
  const host = options.host ?? '127.0.0.1';
  const servers: Server[] = [];
  const urls = {} as Record<N, string>;
  const close = () => Promise.all(servers.map(closeServer)).then(() => undefined);

  try {
    for (const name of set.services) {
      const port = options.ports === 'ephemeral' ? 0 : (options.ports?.[name] ?? MOCK_PORTS[name]);
      const server = createServer();
      servers.push(server);
      const bound = await listen(server, host, port, name);
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
      server.on('request', toNodeRequestListener(set.handlers[name], origin));
      urls[name] = `${origin}/graphql`;
    }
  } catch (error) {
    await close();
    throw error;
  }

  return {
    urls,
    requests: set.requests,
    resetRequests: set.resetRequests,
    setFailureRate: set.setFailureRate,
    close,
  };
}

function listen(server: Server, host: string, port: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new Error(`mock service ${name} cannot listen on ${host}:${port}: ${error.message}`, {
          cause: error,
        }),
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
