import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createGate } from '../support/createGate.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const QUERY = '{ topProducts(first: 2) { upc name } }';

/**
 * Once `hold()` is called (after start-up, which reads the subgraphs' schemas through the same fetch),
 * subgraph calls wait until the test releases them; `arrived` resolves at the first one held.
 */
function holdSubgraphCalls() {
  const release = createGate();
  const arrived = createGate();
  let holding = false;
  const wrapFetch =
    (fetch: SubgraphFetch): SubgraphFetch =>
    async (url, init) => {
      if (holding) {
        arrived.open();
        await release.wait;
      }
      return fetch(url, init);
    };
  return {
    wrapFetch,
    hold: () => {
      holding = true;
    },
    release: release.open,
    arrived: arrived.wait,
  };
}

const withConcurrency = (concurrency: Record<string, number>) => ({
  server: { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 5_000, concurrency },
});

async function gauge(gateway: TestGateway, name: string): Promise<number> {
  const text = await (await globalThis.fetch(new URL('/metrics', gateway.graft.opsUrl))).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  if (!line) throw new Error(`no ${name} in /metrics`);
  return Number(line.split(' ')[1]);
}

describe('server.concurrency', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('runs maxInFlight requests, lines up the next, refuses beyond maxQueued with 503 OVERLOADED, then answers the ones it kept', async () => {
    const held = holdSubgraphCalls();
    gateway = await startTestGateway({
      wrapFetch: held.wrapFetch,
      config: withConcurrency({ maxInFlight: 1, maxQueued: 1, maxQueueWaitMs: 60_000 }),
    });
    held.hold();
    const running = gateway.post(QUERY);
    await held.arrived;
    const waiting = gateway.post(QUERY);
    await vi.waitFor(async () => expect(await gauge(gateway!, 'graft_requests_queued')).toBe(1));
    expect(await gauge(gateway, 'graft_requests_in_flight')).toBe(1);

    const refused = await gateway.post(QUERY);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('OVERLOADED');
    expect(refused.body.data).toBeUndefined();

    held.release();
    const answers = await Promise.all([running, waiting]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        data: { topProducts: [expect.objectContaining({ upc: '1' }), expect.objectContaining({ upc: '2' })] },
      });
    }
    expect(await gauge(gateway, 'graft_requests_in_flight')).toBe(0);
    expect(await gauge(gateway, 'graft_requests_queued')).toBe(0);
    const metrics = await (await globalThis.fetch(new URL('/metrics', gateway.graft.opsUrl))).text();
    expect(metrics).toMatch(/graft_operations_refused_total\{reason="OVERLOADED"\} 1/);
  });

  it('refuses a request that waited maxQueueWaitMs for a turn', async () => {
    const held = holdSubgraphCalls();
    gateway = await startTestGateway({
      wrapFetch: held.wrapFetch,
      config: withConcurrency({ maxInFlight: 1, maxQueueWaitMs: 50 }),
    });
    held.hold();
    const running = gateway.post(QUERY);
    await held.arrived;
    const late = await gateway.post(QUERY);
    expect(late.status).toBe(503);
    expect(late.body.errors?.[0]?.extensions?.code).toBe('OVERLOADED');
    expect(late.body.errors?.[0]?.message).toMatch(/waited too long/);
    held.release();
    expect((await running).status).toBe(200);
  });

  it('forgets a waiting request whose client hung up, and the turn it would have had goes on', async () => {
    const held = holdSubgraphCalls();
    gateway = await startTestGateway({
      wrapFetch: held.wrapFetch,
      config: withConcurrency({ maxInFlight: 1, maxQueueWaitMs: 60_000 }),
    });
    held.hold();
    const running = gateway.post(QUERY);
    await held.arrived;
    const hangUp = new AbortController();
    const abandoned = globalThis.fetch(gateway.graft.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
      signal: hangUp.signal,
    });
    await vi.waitFor(async () => expect(await gauge(gateway!, 'graft_requests_queued')).toBe(1));
    hangUp.abort();
    await expect(abandoned).rejects.toThrow();
    await vi.waitFor(async () => expect(await gauge(gateway!, 'graft_requests_queued')).toBe(0));

    held.release();
    expect((await running).status).toBe(200);
    expect(await gauge(gateway, 'graft_requests_in_flight')).toBe(0);
    expect((await gateway.post(QUERY)).status).toBe(200);
  });
});
