import { afterEach, describe, expect, it } from 'vitest';
import { createPlainService, createWarrantyService, WARRANTY_MERGE } from '../support/createPlainService.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';

const ADMIN = { token: TEST_ADMIN_TOKEN, allowPrivateNetworks: true };

/** Resolves once `condition` holds, checking after each turn of the event loop, or rejects after `timeoutMs`. */
async function eventually(condition: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await condition()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

describe('live schema updates', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('picks up a change in a subgraph’s SDL by polling', async () => {
    const news = createPlainService('news.test', 'type Query { headline: String }', {
      headline: () => 'hello',
    });
    gateway = await startTestGateway({
      wrapFetch: news.route,
      config: {
        subgraphs: [
          { name: 'products', url: 'http://products.mock/graphql' },
          { name: 'news', url: news.url },
        ],
        registry: { pollIntervalMs: 20 },
      },
      services: ['products'],
    });
    expect((await gateway.post('{ headline byline }')).body.errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );

    news.setSchema('type Query { headline: String, byline: String }', {
      headline: () => 'hello',
      byline: () => 'by graft',
    });
    await eventually(async () => (await gateway!.post('{ byline }')).body.errors === undefined, 2_000);
    expect((await gateway.post('{ headline byline }')).body).toEqual({
      data: { headline: 'hello', byline: 'by graft' },
    });
    expect(await (await fetch(new URL('/metrics', gateway.graft.opsUrl))).text()).toMatch(
      /^graft_schema_reloads_total\{outcome="swapped"\} [1-9]/m,
    );
  });

  it('keeps the last good graph when a subgraph is down at reload, and says so in /readyz and metrics', async () => {
    const warranty = createWarrantyService();
    gateway = await startTestGateway({ config: { admin: ADMIN }, wrapFetch: warranty.route });
    await gateway.admin('PUT', '/admin/subgraphs/warranty', { url: warranty.url, merge: WARRANTY_MERGE });
    const before = await gateway.readiness();

    warranty.setUp(false);
    const status = await gateway.graft.graphs.reload('test');
    expect(status).toMatchObject({ outcome: 'failed', reason: 'test' });
    expect(status.error).toContain('warranty');

    const after = await gateway.readiness();
    expect(after).toMatchObject({
      status: 'ready',
      schemaHash: before.schemaHash,
      lastReload: { outcome: 'failed', reason: 'test' },
    });
    // Still the same graph: warranty's field validates; its data is missing only because the service is down.
    const response = await gateway.post('{ topProducts(first: 1) { name warrantyYears } }');
    expect(response.body.data).toEqual({ topProducts: [{ name: 'Table', warrantyYears: null }] });
    expect(await (await fetch(new URL('/metrics', gateway.graft.opsUrl))).text()).toMatch(
      /^graft_schema_reloads_total\{outcome="failed"\} 1$/m,
    );

    warranty.setUp(true);
    expect((await gateway.graft.graphs.reload('recovered')).outcome).toBe('unchanged');
  });

  it('answers every request while the graph is reloaded ten times under continuous load of 200 in-flight requests', async () => {
    const news = createPlainService('news.test', 'type Query { headline: String }', {
      headline: () => 'hello',
    });
    const running = await startTestGateway({
      wrapFetch: news.route,
      config: {
        subgraphs: [
          { name: 'products', url: 'http://products.mock/graphql' },
          { name: 'inventory', url: 'http://inventory.mock/graphql' },
          { name: 'news', url: news.url },
        ],
      },
      services: ['products', 'inventory'],
    });
    gateway = running;
    let stop = false;
    const failures: unknown[] = [];
    let answered = 0;
    // Reloads are spread through the load: each waits until 50 more requests have been answered.
    let waiter: { count: number; resolve: () => void } | undefined;
    const worker = async () => {
      while (!stop) {
        const response = await running.post('{ headline topProducts(first: 2) { name inStock } }');
        answered += 1;
        if (response.status !== 200 || response.body.errors) failures.push(response.body);
        if (waiter && answered >= waiter.count) waiter.resolve();
      }
    };
    const workers = Array.from({ length: 200 }, worker);
    const answeredAtLeast = (count: number) =>
      new Promise<void>((resolve) => {
        waiter = { count, resolve };
      });

    const outcomes: string[] = [];
    for (let reload = 1; reload <= 10; reload += 1) {
      await answeredAtLeast(answered + 50);
      // Each reload really changes the graph: news gains or loses a field.
      news.setSchema(
        reload % 2 ? 'type Query { headline: String, edition: Int }' : 'type Query { headline: String }',
        { headline: () => 'hello', edition: () => reload },
      );
      outcomes.push((await running.graft.graphs.reload(`change ${reload}`)).outcome);
    }
    await answeredAtLeast(answered + 200);
    stop = true;
    await Promise.all(workers);

    expect(outcomes).toEqual(Array(10).fill('swapped'));
    expect(answered).toBeGreaterThanOrEqual(700);
    expect(failures).toEqual([]);
    // A reload lets waiting requests run between its steps, so under this load each takes longer (while more
    // requests are answered meanwhile) than when it held the thread throughout.
  }, 240_000);
});
