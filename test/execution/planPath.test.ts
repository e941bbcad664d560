import { afterEach, describe, expect, it } from 'vitest';
import { generateBenchData } from '../../services-mock/index.js';
import { benchmarkQuery, expectedBenchmarkResponse } from '../support/benchData.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

async function readCounter(gateway: TestGateway, name: string, labels: string): Promise<number> {
  const metrics = await gateway.graft.metrics.registry.metrics();
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('the benchmark query on the query-plan path', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('answers exactly the expected response, served by the plan', async () => {
    gateway = await startTestGateway();
    const response = await gateway.post(benchmarkQuery);
    expect(response.body).toEqual(expectedBenchmarkResponse);
    expect(await readCounter(gateway, 'graft_execution_path_total', 'path="plan"')).toBe(1);
    expect(await readCounter(gateway, 'graft_execution_path_total', 'path="stitching"')).toBe(0);
  });

  it.each([10, 1_000])(
    'makes 6 subgraph requests for %i products, inventory’s two lookups coalesced',
    async (products) => {
      const data = generateBenchData({ users: products, products, reviews: products * 3, seed: 7 });
      // The admission cost limit would refuse 1,000 products; this test is about fetch counts.
      gateway = await startTestGateway({
        mocks: { data },
        config: { limits: { cost: { max: 10_000_000 } } },
      });
      const query = benchmarkQuery.replace('topProducts {', `topProducts(first: ${products}) {`);
      const response = await gateway.post(query);
      expect(response.body.errors).toBeUndefined();
      expect((response.body.data as { topProducts: unknown[] }).topProducts).toHaveLength(products);
      expect(gateway.subgraphRequestCount()).toBe(6);
      expect(await readCounter(gateway, 'graft_execution_path_total', 'path="plan"')).toBe(1);
    },
  );

  it('plans an operation once and takes it from the cache afterwards', async () => {
    gateway = await startTestGateway();
    await gateway.post(benchmarkQuery);
    await gateway.post(benchmarkQuery);
    await gateway.post(benchmarkQuery);
    expect(await readCounter(gateway, 'graft_plan_cache_total', 'outcome="miss"')).toBe(1);
    expect(await readCounter(gateway, 'graft_plan_cache_total', 'outcome="hit"')).toBe(2);
  });

  it('runs everything through stitching with execution.queryPlan false', async () => {
    gateway = await startTestGateway({ config: { execution: { queryPlan: false } } });
    const response = await gateway.post(benchmarkQuery);
    expect(response.body).toEqual(expectedBenchmarkResponse);
    expect(await readCounter(gateway, 'graft_execution_path_total', 'path="stitching"')).toBe(1);
    expect(await readCounter(gateway, 'graft_execution_path_total', 'path="plan"')).toBe(0);
  });
});
