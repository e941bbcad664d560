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
    const first = await gateway.post(benchmarkQuery, undefined, {
      'graft-explain': 'true',
      'x-graft-cost': '1',
    });
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

    // The estimated cost in the explanation itself: admission's number, with the limit and mode it met.
    const admissionCost = (first.body as any).extensions.cost as { estimated: number; max: number };
    expect(admissionCost.estimated).toBeGreaterThan(1);
    expect(explain.cost).toEqual({
      estimated: admissionCost.estimated,
      max: 50_000,
      mode: 'enforce',
      exceeded: false,
    });

    // The fields the operation selects, by coordinate, with the subgraphs that own them.
    expect(Object.keys(explain.fields)).toContain('Review.author');
    expect(explain.fields['Product.inStock'].owners).toEqual(['inventory']);
    expect(explain.fields['Product.name'].owners).toEqual(['products']);

    const again = await gateway.post(benchmarkQuery, undefined, { 'graft-explain': 'true' });
    expect((again.body as any).extensions.graftExplain.planCache).toBe('hit');
  });

  it('shows the cost of an operation the cost limit refused, and of one it only measured', async () => {
    const query = '{ topProducts(first: 5) { name reviews { body } } }';
    gateway = await startTestGateway({ config: { limits: { cost: { max: 3 } } } });
    const refused = await gateway.post(query, undefined, { 'graft-explain': 'true' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    const refusedExplain = (refused.body as any).extensions.graftExplain;
    expect(refusedExplain.executed).toBe(false);
    expect(refusedExplain.cost).toMatchObject({ max: 3, mode: 'enforce', exceeded: true });
    // The same number the refusal names.
    expect(refusedExplain.cost.estimated).toBe(
      (refused.body.errors?.[0]?.extensions?.cost as { estimated: number }).estimated,
    );
    expect(gateway.subgraphRequestCount()).toBe(0);
    await gateway.close();

    gateway = await startTestGateway({ config: { limits: { cost: { max: 3, mode: 'measure' } } } });
    const measured = await gateway.post(query, undefined, { 'graft-explain': 'true' });
    expect(measured.body.errors).toBeUndefined();
    const measuredExplain = (measured.body as any).extensions.graftExplain;
    expect(measuredExplain.executed).toBe(true);
    expect(measuredExplain.cost).toEqual({
      estimated: refusedExplain.cost.estimated,
      max: 3,
      mode: 'measure',
      exceeded: true,
    });
  });

  it('describes every field of the graph, with its schema hash, when asked with “graph”', async () => {
    gateway = await startTestGateway();
    const response = await gateway.post('{ __typename }', undefined, { 'graft-explain': 'graph' });
    const { graph } = (response.body as any).extensions.graftExplain;
    expect(graph.schemaHash).toBe((await gateway.readiness()).schemaHash);
    expect(graph.fields['Product.inStock'].owners).toEqual(['inventory']);
    expect(graph.fields['Query.me']).toMatchObject({ owners: ['accounts'], authenticated: true });
    expect(graph.fields['Query.user'].rateLimit).toMatchObject({ max: 5, window: '1m' });
    // A plain explanation does not carry the whole graph.
    const plain = await gateway.post('{ __typename }', undefined, { 'graft-explain': 'true' });
    expect((plain.body as any).extensions.graftExplain.graph).toBeUndefined();
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
