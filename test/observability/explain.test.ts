import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { benchmarkQuery, expectedBenchmarkResponse } from '../support/benchData.js';
import { postGraphql } from '../support/postGraphql.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

interface PlanNode {
  kind: string;
  subgraph?: string;
  level?: number;
  nodes?: PlanNode[];
}

function listFetches(node: PlanNode | undefined): PlanNode[] {
  if (!node) return [];
  return node.kind === 'Fetch' ? [node] : (node.nodes ?? []).flatMap(listFetches);
}

describe('explain', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('answers the header with the query plan used, its cache outcome and each fetch’s level and time', async () => {
    gateway = await startTestGateway();
    const first = await gateway.post(benchmarkQuery, undefined, { 'graft-explain': 'true' });
    expect(first.body.data).toEqual((expectedBenchmarkResponse as { data: unknown }).data);
    const explain = (first.body as { extensions: { graftExplain: Record<string, any> } }).extensions
      .graftExplain;
    expect(explain).toMatchObject({ executed: true, path: 'plan', planCache: 'miss' });

    const planned = listFetches(explain.plan as PlanNode);
    expect(planned.length).toBeGreaterThan(1);
    expect(planned.find((fetch) => fetch.level === 1)?.subgraph).toBe('products');
    expect(new Set(planned.map((fetch) => fetch.subgraph))).toEqual(
      new Set(['products', 'inventory', 'reviews', 'accounts']),
    );
    // Every fetch that ran is timed, at the level the plan gave it.
    expect(explain.fetches).toHaveLength(gateway.subgraphRequestCount());
    for (const fetch of explain.fetches as Array<{ subgraph: string; level: number; durationMs: number }>) {
      expect(planned).toContainEqual(
        expect.objectContaining({ subgraph: fetch.subgraph, level: fetch.level }),
      );
      expect(fetch.durationMs).toBeGreaterThanOrEqual(0);
    }

    // The fields the operation selects, by path, with the subgraphs that own them.
    expect(explain.selections['topProducts.inStock']).toBe('Product.inStock');
    expect(explain.fields['Product.inStock'].owners).toEqual(['inventory']);
    expect(explain.fields['Product.name'].owners).toEqual(['products']);

    const again = await gateway.post(benchmarkQuery, undefined, { 'graft-explain': 'true' });
    expect((again.body as any).extensions.graftExplain.planCache).toBe('hit');
  });

  it('answers the extensions flag too, and says when stitching served the operation and why', async () => {
    gateway = await startTestGateway({ config: { execution: { queryPlan: false } } });
    const response = await postGraphql(gateway.graft.url, '', {
      fetch: (url, init) =>
        fetch(url, {
          ...init,
          body: JSON.stringify({
            query: '{ topProducts(first: 1) { name } }',
            extensions: { graftExplain: true },
          }),
        }),
    });
    const explain = (response.body as any).extensions.graftExplain;
    expect(explain).toMatchObject({ executed: true, path: 'stitching', plan: 'stitching fallback' });
    expect(explain.fallback.reason).toBe('plans_off');
  });

  it('adds nothing to responses that do not ask, or when explain.enabled is false', async () => {
    gateway = await startTestGateway({ config: { explain: { enabled: false } } });
    const asked = await gateway.post('{ topProducts(first: 1) { name } }', undefined, {
      'graft-explain': 'true',
    });
    expect((asked.body as any).extensions).toBeUndefined();
    await gateway.close();
    gateway = await startTestGateway();
    const notAsked = await gateway.post('{ topProducts(first: 1) { name } }');
    expect((notAsked.body as any).extensions).toBeUndefined();
  });

  it('is off by default when NODE_ENV is production', () => {
    const config = parseConfig({ supergraph: 'x.graphql' }, 'test', { NODE_ENV: 'production' });
    expect(config.explain.enabled).toBe(false);
    expect(parseConfig({ supergraph: 'x.graphql' }, 'test', {}).explain.enabled).toBe(true);
  });
});
