import { describe, expect, it } from 'vitest';
import { holdSubgraphRequests } from '../support/holdSubgraphRequests.js';
import { postGraphql } from '../support/postGraphql.js';
import { startTestGateway } from '../support/startTestGateway.js';

describe('shutting down', () => {
  it('answers a request still running at the deadline with 503 SHUTTING_DOWN, not a reset, and reports the drain cut short', async () => {
    const held = holdSubgraphRequests('topProducts');
    const gateway = await startTestGateway({
      config: { server: { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1_000 } },
      wrapFetch: held.wrap,
    });
    try {
      const inFlight = gateway.post('{ topProducts(first: 1) { name } }');
      await held.arrived;

      const outcome = await gateway.graft.close();

      const answer = await inFlight;
      expect(answer.status).toBe(503);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('SHUTTING_DOWN');
      expect(outcome).toEqual({ kind: 'cut_short', unanswered: 1 });
    } finally {
      held.release();
    }
  });

  it('during shutdownDelayMs fails readiness but keeps serving, then stops listening', async () => {
    const gateway = await startTestGateway({
      config: { server: { host: '127.0.0.1', port: 0, shutdownDelayMs: 1_500, shutdownTimeoutMs: 5_000 } },
    });
    const { graft } = gateway;
    const closing = graft.close();

    const readiness = await fetch(new URL('/readyz', graft.opsUrl));
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: 'stopping' });
    expect((await fetch(new URL('/healthz', graft.opsUrl))).status).toBe(200);
    const served = await gateway.post('{ carriers }');
    expect(served.status).toBe(200);
    expect(served.body.data).toEqual({ carriers: expect.any(Array) });

    expect(await closing).toEqual({ kind: 'drained' });
    await expect(postGraphql(graft.url, '{ carriers }')).rejects.toThrow();
  });

  it('refuses `shutdownDelayMs` that would not leave time to drain', async () => {
    await expect(
      startTestGateway({
        config: { server: { host: '127.0.0.1', port: 0, shutdownDelayMs: 5_000, shutdownTimeoutMs: 5_000 } },
      }),
    ).rejects.toThrow(
      /server\.shutdownDelayMs: must be below `server\.shutdownTimeoutMs`.*\(received 5000\)/,
    );
  });
});
