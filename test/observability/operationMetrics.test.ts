import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createOperationMetrics } from '../../src/observability/metrics/createOperationMetrics.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

async function scrape(gateway: TestGateway): Promise<string> {
  return (await fetch(new URL('/metrics', gateway.graft.opsUrl))).text();
}

describe('operation and subgraph metrics', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('labels operations by name, collapsing names beyond metrics.maxOperationNames into "other"', async () => {
    gateway = await startTestGateway({ config: { metrics: { maxOperationNames: 2 } } });
    for (const name of ['First', 'Second', 'Third', 'Fourth', 'First'])
      await gateway.post(`query ${name} { topProducts(first: 1) { name } }`);
    await gateway.post('{ topProducts(first: 1) { name } }');
    const text = await scrape(gateway);
    expect(text).toMatch(
      /^graft_operations_total\{operation_name="First",operation_type="query",outcome="success"\} 2$/m,
    );
    expect(text).toMatch(
      /^graft_operations_total\{operation_name="Second",operation_type="query",outcome="success"\} 1$/m,
    );
    expect(text).toMatch(
      /^graft_operations_total\{operation_name="other",operation_type="query",outcome="success"\} 2$/m,
    );
    expect(text).toMatch(
      /^graft_operations_total\{operation_name="anonymous",operation_type="query",outcome="success"\} 1$/m,
    );
    expect(text).not.toContain('operation_name="Third"');
    expect(text).toMatch(
      /^graft_operation_duration_seconds_count\{operation_name="First",operation_type="query"\} 2$/m,
    );
  });

  it('gives only the listed names their own label when metrics.operationNames is set', async () => {
    gateway = await startTestGateway({ config: { metrics: { operationNames: ['Known'] } } });
    await gateway.post('query Known { topProducts(first: 1) { name } }');
    await gateway.post('query Unknown { topProducts(first: 1) { name } }');
    const text = await scrape(gateway);
    expect(text).toContain('operation_name="Known"');
    expect(text).toMatch(
      /^graft_operations_total\{operation_name="other",operation_type="query",outcome="success"\} 1$/m,
    );
  });

  it('measures request and response body sizes and shows nothing in flight once answered', async () => {
    gateway = await startTestGateway();
    const body = JSON.stringify({ query: '{ topProducts(first: 1) { name } }' });
    const response = await fetch(gateway.graft.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const answer = await response.text();
    const text = await scrape(gateway);
    expect(text).toMatch(new RegExp(`^graft_request_size_bytes_sum ${body.length}$`, 'm'));
    expect(text).toMatch(new RegExp(`^graft_response_size_bytes_sum ${Buffer.byteLength(answer)}$`, 'm'));
    expect(text).toMatch(/^graft_requests_in_flight 0$/m);
  });

  it('counts subgraph errors by subgraph and code', async () => {
    gateway = await startTestGateway();
    gateway.mocks.setFailureRate('inventory', 1);
    await gateway.post('{ topProducts(first: 2) { name inStock } }');
    const text = await scrape(gateway);
    expect(text).toMatch(
      /^graft_subgraph_errors_total\{subgraph="inventory",code="MOCK_INJECTED_FAILURE"\} 1$/m,
    );
    expect(text).not.toMatch(/^graft_subgraph_errors_total\{subgraph="products"/m);
  });

  it('reports the plan cache hit ratio from the plan cache counter', async () => {
    const registry = new Registry();
    const metrics = createOperationMetrics(registry);
    const planCache = new Counter({
      name: 'graft_plan_cache_total',
      help: 'plans',
      labelNames: ['outcome'],
      registers: [registry],
    });
    planCache.inc({ outcome: 'miss' });
    planCache.inc({ outcome: 'hit' }, 3);
    expect(await registry.getSingleMetricAsString('graft_plan_cache_hit_ratio')).toMatch(
      /^graft_plan_cache_hit_ratio 0\.75$/m,
    );
    expect(metrics.planCacheHitRatio).toBeDefined();
  });
});
