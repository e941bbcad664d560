import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway } from '../support/startTestGateway.js';

const SHUTDOWN_TIMEOUT_MS = 1_500;

/** A collector that accepts connections and never answers: the exporter would wait its whole timeout. */
async function startHungCollector() {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/v1/traces`,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('tracing at shutdown', () => {
  let collector: Awaited<ReturnType<typeof startHungCollector>> | undefined;
  afterEach(async () => {
    await collector?.close();
  });

  it('gives the last spans what is left of shutdownTimeoutMs, then drops them: a hung collector cannot overrun the stop', async () => {
    collector = await startHungCollector();
    const gateway = await startTestGateway({
      services: ['products'],
      config: {
        server: { shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS },
        tracing: {
          enabled: true,
          sampleRatio: 1,
          // Far longer than the stop may take: only the stop's own limit can end the flush.
          exporter: { endpoint: collector.endpoint, timeoutMs: 60_000 },
        },
      },
    });
    const { status } = await gateway.post('{ topProducts { upc } }');
    expect(status).toBe(200);

    const startedAt = performance.now();
    const outcome = await gateway.close();
    const tookMs = performance.now() - startedAt;

    // The flush was tried (the collector was reached) and given up on within the limit, with no request cut.
    expect(collector.connections()).toBeGreaterThan(0);
    expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(outcome).toEqual({ kind: 'drained' });
  });
});
