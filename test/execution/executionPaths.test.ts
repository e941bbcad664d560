import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { generateBenchData } from '../../services-mock/index.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { benchmarkQuery } from '../support/benchData.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

function collectLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('debug', sink) };
}

async function readCounter(gateway: TestGateway, name: string, labels: string): Promise<number> {
  const metrics = await gateway.graft.metrics.registry.metrics();
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Starts a plan-path gateway and a stitching-only one over the same mocks' data. */
async function startBoth() {
  return {
    plan: await startTestGateway(),
    stitching: await startTestGateway({ config: { execution: { queryPlan: false } } }),
  };
}

describe('choosing the execution path', () => {
  const gateways: TestGateway[] = [];
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  });

  it('falls back to stitching for fields of a plain service, with the same answer, and logs why', async () => {
    const logs = collectLogs();
    const plan = await startTestGateway({ logger: logs.logger });
    const stitching = await startTestGateway({ config: { execution: { queryPlan: false } } });
    gateways.push(plan, stitching);
    const query = '{ topProducts(first: 3) { upc name shippingOptions { carrier days } shippingCostCents } }';
    const viaFallback = await plan.post(query);
    expect(viaFallback.body.data).toBeDefined();
    expect(viaFallback.body).toEqual((await stitching.post(query)).body);
    expect(await readCounter(plan, 'graft_execution_path_total', 'path="stitching"')).toBe(1);
    expect(await readCounter(plan, 'graft_execution_path_total', 'path="plan"')).toBe(0);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ level: 'debug', executionPath: 'stitching', reason: 'outside_federation' }),
    );
  });

  it('logs the plan path and its cache outcome at debug level', async () => {
    const logs = collectLogs();
    const gateway = await startTestGateway({ logger: logs.logger });
    gateways.push(gateway);
    await gateway.post(benchmarkQuery);
    await gateway.post(benchmarkQuery);
    const chosen = logs.lines.filter((line) => line.msg === 'execution path chosen');
    expect(chosen.map((line) => [line.executionPath, line.planCache])).toEqual([
      ['plan', 'miss'],
      ['plan', 'hit'],
    ]);
  });

  it('leaves introspection to stitching', async () => {
    const gateway = await startTestGateway();
    gateways.push(gateway);
    const response = await gateway.post('{ __schema { queryType { name } } topProducts(first: 1) { name } }');
    expect(response.body).toEqual({
      data: { __schema: { queryType: { name: 'Query' } }, topProducts: [{ name: 'Table' }] },
    });
    expect(await readCounter(gateway, 'graft_execution_path_total', 'path="stitching"')).toBe(1);
  });

  it('answers @skip and @include with variables and defaults exactly as stitching does', async () => {
    const { plan, stitching } = await startBoth();
    gateways.push(plan, stitching);
    const query = `query Q($withReviews: Boolean = true, $noStock: Boolean!) {
      topProducts(first: 2) {
        name
        inStock @skip(if: $noStock)
        reviews @include(if: $withReviews) { body author { name } }
      }
    }`;
    for (const variables of [{ noStock: false }, { noStock: true, withReviews: false }]) {
      const viaPlan = await plan.post(query, variables);
      expect(viaPlan.body.errors).toBeUndefined();
      expect(JSON.stringify(viaPlan.body)).toBe(
        JSON.stringify((await stitching.post(query, variables)).body),
      );
    }
    expect(await readCounter(plan, 'graft_execution_path_total', 'path="plan"')).toBe(2);
  });

  it('asks no subgraph for what a skipped selection alone needs', async () => {
    const gateway = await startTestGateway();
    gateways.push(gateway);
    await gateway.post('query($s: Boolean!) { topProducts(first: 2) { name inStock @skip(if: $s) } }', {
      s: true,
    });
    expect(gateway.mocks.requests.inventory).toHaveLength(0);
    expect(gateway.mocks.requests.products).toHaveLength(1);
  });
});

describe('the response guard', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('stops before the next lookups once the entity limit is passed, answering RESPONSE_TOO_LARGE', async () => {
    gateway = await startTestGateway({ config: { execution: { maxEntities: 20 } } });
    const response = await gateway.post(benchmarkQuery);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: null,
      errors: [
        {
          message:
            'The response would hold more than 20 objects; ask for less (smaller pages, fewer nested lists)',
          extensions: { code: 'RESPONSE_TOO_LARGE', limit: 'maxEntities', max: 20 },
        },
      ],
    });
    // The first level's lookups (6 users, 5 products) fit; the next level's would not: it is never asked.
    expect(gateway.subgraphRequestCount()).toBeLessThan(7);
  });

  it('answers RESPONSE_TOO_LARGE when the response passes its byte limit', async () => {
    gateway = await startTestGateway({ config: { execution: { maxResponseBytes: 2_000 } } });
    const response = await gateway.post(benchmarkQuery);
    expect(response.body.data).toBeNull();
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        extensions: { code: 'RESPONSE_TOO_LARGE', limit: 'maxResponseBytes', max: 2_000 },
      }),
    ]);
  });

  it('lets the benchmark query for 1,000 products through under the default guard limits', async () => {
    const data = generateBenchData({ users: 1_000, products: 1_000, reviews: 3_000, seed: 7 });
    // Only the admission cost limit (checked before execution, not the guard) is raised.
    gateway = await startTestGateway({ mocks: { data }, config: { limits: { cost: { max: 10_000_000 } } } });
    const response = await gateway.post(
      benchmarkQuery.replace('topProducts {', 'topProducts(first: 1000) {'),
    );
    expect(response.body.errors).toBeUndefined();
    // About 8.8 MB and 72,000 objects: a quarter of the default limits.
    expect(JSON.stringify(response.body).length).toBeGreaterThan(8_000_000);
  });
});
