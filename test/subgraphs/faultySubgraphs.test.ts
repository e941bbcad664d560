import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createGate } from '../support/createGate.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const STOCK_QUERY = '{ topProducts(first: 2) { upc name inStock } }';

interface SeenCall {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly signal: AbortSignal;
  readonly body: string;
}

/**
 * Wraps the mock services so that calls to the named subgraph hang (never answer) while `hung` is true, and
 * records every subgraph call with its headers and abort signal.
 */
function faultInjector(subgraph: string) {
  const state = { hung: true, calls: [] as SeenCall[], arrived: createGate() };
  const wrap =
    (fetch: SubgraphFetch): SubgraphFetch =>
    (url, init) => {
      const isSchemaRead = init.body.includes('_service') || init.body.includes('__schema');
      if (!isSchemaRead)
        state.calls.push({ url, headers: init.headers, signal: init.signal, body: init.body });
      if (state.hung && url.includes(`${subgraph}.mock`) && !isSchemaRead) {
        state.arrived.open();
        return new Promise(() => {});
      }
      return fetch(url, init);
    };
  const callsTo = (name: string) => state.calls.filter((call) => call.url.includes(`${name}.mock`));
  return { state, wrap, callsTo };
}

describe('faulty subgraphs', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('answers partial data when a subgraph hangs, then fails fast with CIRCUIT_OPEN, other queries unaffected', async () => {
    const faults = faultInjector('inventory');
    gateway = await startTestGateway({
      wrapFetch: faults.wrap,
      config: {
        subgraphRequests: {
          timeoutMs: 50,
          // The schema read at start-up was the first call, a success: three timeouts make 4 calls, 75 % failed.
          breaker: { minimumRequests: 4, failureRatio: 0.5, openMs: 60_000 },
        },
      },
    });
    for (let i = 0; i < 3; i += 1) {
      const { status, body } = await gateway.post(STOCK_QUERY);
      expect(status).toBe(200);
      expect(body.data).toMatchObject({ topProducts: [{ inStock: null }, { inStock: null }] });
      expect((body.data as { topProducts: Array<{ name: string }> }).topProducts[0]?.name).toEqual(
        expect.any(String),
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'SUBGRAPH_TIMEOUT',
        serviceName: 'inventory',
      });
    }
    const inventoryCalls = faults.callsTo('inventory').length;

    const open = await gateway.post(STOCK_QUERY);
    expect(open.body.data).toMatchObject({ topProducts: [{ inStock: null }, { inStock: null }] });
    expect(open.body.errors?.[0]?.extensions).toMatchObject({
      code: 'CIRCUIT_OPEN',
      serviceName: 'inventory',
    });
    expect(open.body.errors?.[0]?.path).toEqual(['topProducts', 0, 'inStock']);
    expect(faults.callsTo('inventory')).toHaveLength(inventoryCalls);

    const healthy = await gateway.post('{ topProducts(first: 2) { upc name } }');
    expect(healthy.body.errors).toBeUndefined();
    const readiness = await gateway.readiness();
    expect(readiness.subgraphHealth).toContainEqual(
      expect.objectContaining({ name: 'inventory', circuit: 'open' }),
    );
  });

  it('bounds a chain of calls by the request deadline, telling each subgraph the budget left', async () => {
    const faults = faultInjector('inventory');
    gateway = await startTestGateway({
      wrapFetch: faults.wrap,
      config: { subgraphRequests: { timeoutMs: 5_000 } },
    });
    const { body } = await gateway.post(STOCK_QUERY, undefined, { 'x-graft-timeout-ms': '200' });
    expect(body.data).toMatchObject({ topProducts: [{ inStock: null }, { inStock: null }] });
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      serviceName: 'inventory',
    });
    const first = Number(faults.callsTo('products')[0]?.headers['x-graft-timeout-ms']);
    const second = Number(faults.callsTo('inventory')[0]?.headers['x-graft-timeout-ms']);
    expect(first).toBeLessThanOrEqual(200);
    expect(second).toBeLessThanOrEqual(first);
  });

  it('cuts a client’s deadline header to deadline.maxMs and sends the default budget without one', async () => {
    const faults = faultInjector('none');
    gateway = await startTestGateway({
      wrapFetch: faults.wrap,
      config: { deadline: { defaultMs: 3_000, maxMs: 4_000 }, subgraphRequests: { timeoutMs: 60_000 } },
    });
    await gateway.post('{ topProducts(first: 1) { upc } }', undefined, { 'x-graft-timeout-ms': '999999' });
    await gateway.post('{ topProducts(first: 1) { name } }');
    const budgets = faults.callsTo('products').map((call) => Number(call.headers['x-graft-timeout-ms']));
    expect(budgets[0]).toBeLessThanOrEqual(4_000);
    expect(budgets[0]).toBeGreaterThan(3_000);
    expect(budgets[1]).toBeLessThanOrEqual(3_000);
  });

  it('aborts outstanding subgraph calls when the client disconnects', async () => {
    const faults = faultInjector('inventory');
    gateway = await startTestGateway({
      wrapFetch: faults.wrap,
      config: { subgraphRequests: { timeoutMs: 60_000 } },
    });
    const client = httpRequest(gateway.graft.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    client.on('error', () => {});
    client.end(JSON.stringify({ query: STOCK_QUERY }));
    await faults.state.arrived.wait;
    const inventoryCall = faults.callsTo('inventory')[0]!;
    expect(inventoryCall.signal.aborted).toBe(false);
    const aborted = new Promise<void>((resolve) =>
      inventoryCall.signal.addEventListener('abort', () => resolve()),
    );
    client.destroy();
    await aborted;
    expect(inventoryCall.signal.aborted).toBe(true);
    expect(faults.callsTo('inventory')).toHaveLength(1);
  });
});
