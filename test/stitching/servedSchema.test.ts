import {
  buildASTSchema,
  getIntrospectionQuery,
  graphql,
  parse,
  printSchema,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { createMockServices, MOCK_SERVICE_NAMES } from '../../services-mock/index.js';
import { buildSchemaBetweenRequests } from '../../src/stitching/buildSchemaBetweenRequests.js';
import { loadGraph, type SubgraphSpec } from '../../src/stitching/loadGraph.js';
import { printApiSchema } from '../../src/stitching/printApiSchema.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createWarrantyService, WARRANTY_MERGE } from '../support/createPlainService.js';

const introspect = async (schema: GraphQLSchema) => graphql({ schema, source: getIntrospectionQuery() });

async function loadDemoGraph(extra: {
  specs: SubgraphSpec[];
  route: (next: SubgraphFetch) => SubgraphFetch;
}) {
  const mocks = createMockServices();
  const specs: SubgraphSpec[] = MOCK_SERVICE_NAMES.map((name) => ({
    name,
    url: mocks.urls[name],
    headers: {},
  }));
  return loadGraph(
    { kind: 'subgraphs', subgraphs: [...specs, ...extra.specs] },
    {
      fetch: extra.route(mocks.fetch),
      schemaLoadTimeoutMs: 10_000,
      createExecutor: () => async () => ({ data: null }),
      queryPlans: { cacheSize: 10 },
    },
  );
}

describe('the schema graft serves', () => {
  it.each([
    ['a Federation graph', { specs: [], route: (next: SubgraphFetch) => next }],
    [
      'a graph with a plain service merged into it',
      (() => {
        const warranty = createWarrantyService();
        return {
          specs: [{ name: 'warranty', url: warranty.url, headers: {}, merge: WARRANTY_MERGE }],
          route: warranty.route,
        };
      })(),
    ],
  ])(
    'is the stitched schema rebuilt: same SDL, same introspection answer, order included (%s)',
    async (_, extra) => {
      const graph = await loadDemoGraph(extra);
      const stitched = await graph.stitchedSchema();
      expect(graph.schema).not.toBe(stitched);
      expect(printSchema(graph.schema)).toBe(printSchema(stitched));
      const served = await introspect(graph.schema);
      expect(served.errors).toBeUndefined();
      expect(served).toEqual(await introspect(stitched));
    },
  );

  it('is built between pauses: one SDL piece, or the fields of 200 types, at a time', async () => {
    const types = 1_000;
    const sdl = [
      `type Query { ${Array.from({ length: types }, (_, i) => `t${i}: T${i}`).join(' ')} }`,
      ...Array.from(
        { length: types },
        (_, i) => `"type ${i}" type T${i} { id: ID! name: String t: T${(i + 1) % types} }`,
      ),
    ].join('\n');
    const original = buildASTSchema(parse(sdl));
    const printed = printApiSchema(original);
    let pauses = 0;
    const built = await buildSchemaBetweenRequests(printed, async () => {
      pauses += 1;
    });
    expect(printSchema(built)).toBe(printSchema(original));
    // 1,001 definitions in pieces of 250; 1,001 types (and the standard ones) in steps of 200.
    expect(printed.sdlPieces).toHaveLength(5);
    expect(pauses).toBeGreaterThanOrEqual(5 + 1 + Math.ceil(types / 200));
  });
});
