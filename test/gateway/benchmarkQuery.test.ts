import { afterEach, describe, expect, it } from 'vitest';
import { generateBenchData } from '../../services-mock/index.js';
import { benchmarkQuery, expectedBenchmarkResponse } from '../support/benchData.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const FEDERATION_SERVICES = ['accounts', 'products', 'inventory', 'reviews'] as const;

describe('the standard gateway benchmark query', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('returns exactly the expected response across four Federation subgraphs', async () => {
    gateway = await startTestGateway();
    const response = await gateway.post(benchmarkQuery);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(expectedBenchmarkResponse);
  });

  it('makes at most 7 subgraph requests, batching each level of entity lookups', async () => {
    gateway = await startTestGateway();
    await gateway.post(benchmarkQuery);
    const perService = Object.fromEntries(
      FEDERATION_SERVICES.map((name) => [name, gateway!.mocks.requests[name].length]),
    );
    expect(gateway.subgraphRequestCount(), JSON.stringify(perService)).toBeLessThanOrEqual(7);
  });

  it('makes the same number of subgraph requests for 10 products as for 1,000', async () => {
    const counts: number[] = [];
    for (const products of [10, 1_000]) {
      const data = generateBenchData({ users: products, products, reviews: products * 3, seed: 7 });
      // 1,000 products with their reviews' authors' reviews is far above the default cost limit, on purpose.
      gateway = await startTestGateway({
        mocks: { data },
        config: { limits: { cost: { max: 10_000_000 } } },
      });
      const query = benchmarkQuery.replace('topProducts {', `topProducts(first: ${products}) {`);
      const response = await gateway.post(query);
      expect(response.body.errors).toBeUndefined();
      expect((response.body.data as { topProducts: unknown[] }).topProducts).toHaveLength(products);
      counts.push(gateway.subgraphRequestCount());
      await gateway.close();
      gateway = undefined;
    }
    expect(counts[0]).toBeLessThanOrEqual(7);
    expect(counts[1]).toBe(counts[0]);
  });
});
