import type { PlanNode } from '@graphql-hive/router-query-planner';
import type { ExecutionRequest, Executor } from '@graphql-tools/utils';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createResponseGuard } from '../../src/execution/createResponseGuard.js';
import { compileFetchPlan } from '../../src/execution/plan/compileFetchPlan.js';
import { runPlan } from '../../src/execution/run/runPlan.js';
import type { GatewayContext } from '../../src/gateway/GatewayContext.js';
import { createLogger } from '../../src/observability/createLogger.js';

const context: GatewayContext = {
  requestId: 'test',
  logger: createLogger('silent'),
  requestHeaders: {},
  peerAddress: '127.0.0.1',
  forwardedHeaders: {},
};

const PRODUCT_KEY = [
  {
    kind: 'InlineFragment' as const,
    typeCondition: 'Product',
    selections: [
      { kind: 'Field' as const, name: '__typename' },
      { kind: 'Field' as const, name: 'upc' },
    ],
  },
];

/** Executors that answer from a function per subgraph and record every request they get. */
function fakeSubgraphs(answer: Record<string, (request: ExecutionRequest) => unknown>) {
  const requests: Array<{ subgraph: string; query: string; variables: Record<string, unknown> }> = [];
  const executors = new Map<string, Executor>(
    Object.entries(answer).map(([subgraph, respond]) => [
      subgraph,
      (async (request: ExecutionRequest) => {
        requests.push({ subgraph, query: print(request.document), variables: request.variables ?? {} });
        return respond(request);
      }) as Executor,
    ]),
  );
  return { executors, requests };
}

async function run(
  node: PlanNode,
  executors: Map<string, Executor>,
  variables: Record<string, unknown> = {},
) {
  return runPlan({
    step: compileFetchPlan({ kind: 'QueryPlan', node }),
    variables,
    context,
    executors,
    matches: (typeName, condition) => typeName === condition,
    guard: createResponseGuard({ maxEntities: 1_000, maxResponseBytes: 1_000_000 }),
  });
}

const topProductsFetch: PlanNode = {
  kind: 'Fetch',
  serviceName: 'products',
  operation: '{topProducts{__typename upc}}',
};

describe('running a query plan', () => {
  it('sends each distinct representation once and merges its answer into every entity that produced it', async () => {
    const { executors, requests } = fakeSubgraphs({
      products: () => ({
        data: {
          topProducts: [
            { __typename: 'Product', upc: '1' },
            { __typename: 'Product', upc: '2' },
            { __typename: 'Product', upc: '1' },
          ],
        },
      }),
      inventory: (request) => ({
        data: {
          _entities: (request.variables!.representations as Array<{ upc: string }>).map(({ upc }) => ({
            inStock: upc === '1',
          })),
        },
      }),
    });
    const merged = await run(
      {
        kind: 'Sequence',
        nodes: [
          topProductsFetch,
          {
            kind: 'Flatten',
            path: [{ Field: 'topProducts' }, '@'],
            node: {
              kind: 'Fetch',
              serviceName: 'inventory',
              operation:
                'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{inStock}}}',
              requires: PRODUCT_KEY,
            },
          },
        ],
      },
      executors,
    );
    expect(requests.filter((request) => request.subgraph === 'inventory')).toHaveLength(1);
    expect(requests[1]!.variables.representations).toEqual([
      { __typename: 'Product', upc: '1' },
      { __typename: 'Product', upc: '2' },
    ]);
    expect(merged.data.topProducts).toEqual([
      { __typename: 'Product', upc: '1', inStock: true },
      { __typename: 'Product', upc: '2', inStock: false },
      { __typename: 'Product', upc: '1', inStock: true },
    ]);
  });

  it('asks a subgraph nothing when there is no entity to look up', async () => {
    const { executors, requests } = fakeSubgraphs({
      products: () => ({ data: { topProducts: [] } }),
      inventory: () => ({ data: { _entities: [] } }),
    });
    await run(
      {
        kind: 'Sequence',
        nodes: [
          topProductsFetch,
          {
            kind: 'Flatten',
            path: [{ Field: 'topProducts' }, '@'],
            node: {
              kind: 'Fetch',
              serviceName: 'inventory',
              operation:
                'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{inStock}}}',
              requires: PRODUCT_KEY,
            },
          },
        ],
      },
      executors,
    );
    expect(requests.map((request) => request.subgraph)).toEqual(['products']);
  });

  it('sends the aliases of a BatchFetch in one request and merges each alias into its own entities', async () => {
    const { executors, requests } = fakeSubgraphs({
      accounts: () => ({ data: { me: { __typename: 'User', id: 'u1' } } }),
      products: () => ({ data: { topProducts: [{ __typename: 'Product', upc: '1' }] } }),
      reviews: () => ({
        data: { _e0: [{ reviews: [{ body: 'on product' }] }], _e1: [{ reviews: [{ body: 'by user' }] }] },
      }),
    });
    const merged = await run(
      {
        kind: 'Sequence',
        nodes: [
          {
            kind: 'Parallel',
            nodes: [
              topProductsFetch,
              { kind: 'Fetch', serviceName: 'accounts', operation: '{me{__typename id}}' },
            ],
          },
          {
            kind: 'BatchFetch',
            serviceName: 'reviews',
            operation:
              'query($a:[_Any!]!,$b:[_Any!]!){_e0:_entities(representations:$a){...on Product{reviews{body}}} _e1:_entities(representations:$b){...on User{reviews{body}}}}',
            entityBatch: {
              aliases: [
                {
                  alias: '_e0',
                  representationsVariableName: 'a',
                  paths: [[{ Field: 'topProducts' }, '@']],
                  requires: PRODUCT_KEY,
                },
                {
                  alias: '_e1',
                  representationsVariableName: 'b',
                  paths: [[{ Field: 'me' }]],
                  requires: [
                    {
                      kind: 'InlineFragment',
                      typeCondition: 'User',
                      selections: [
                        { kind: 'Field', name: '__typename' },
                        { kind: 'Field', name: 'id' },
                      ],
                    },
                  ],
                },
              ],
            },
          },
        ],
      },
      executors,
    );
    const reviewRequests = requests.filter((request) => request.subgraph === 'reviews');
    expect(reviewRequests).toHaveLength(1);
    expect(reviewRequests[0]!.variables).toEqual({
      a: [{ __typename: 'Product', upc: '1' }],
      b: [{ __typename: 'User', id: 'u1' }],
    });
    expect(merged.data).toEqual({
      topProducts: [{ __typename: 'Product', upc: '1', reviews: [{ body: 'on product' }] }],
      me: { __typename: 'User', id: 'u1', reviews: [{ body: 'by user' }] },
    });
  });

  it('runs the branch of a Condition node that its variable selects', async () => {
    const { executors, requests } = fakeSubgraphs({
      products: () => ({ data: { topProducts: [] } }),
      accounts: () => ({ data: { me: null } }),
    });
    const node: PlanNode = {
      kind: 'Condition',
      condition: 'withProducts',
      ifClause: topProductsFetch,
      elseClause: { kind: 'Fetch', serviceName: 'accounts', operation: '{me{id}}' },
    };
    await run(node, executors, { withProducts: true });
    await run(node, executors, { withProducts: false });
    expect(requests.map((request) => request.subgraph)).toEqual(['products', 'accounts']);
  });

  it('applies input rewrites to representations and output rewrites to answers', async () => {
    const { executors, requests } = fakeSubgraphs({
      catalog: () => ({ data: { media: [{ __typename: 'Book', id: 'b1' }] } }),
      stock: () => ({ data: { _entities: [{ __typename: 'Media', count: 3 }] } }),
    });
    const merged = await run(
      {
        kind: 'Sequence',
        nodes: [
          { kind: 'Fetch', serviceName: 'catalog', operation: '{media{__typename id}}' },
          {
            kind: 'Flatten',
            path: [{ Field: 'media' }, '@'],
            node: {
              kind: 'Fetch',
              serviceName: 'stock',
              operation:
                'query($representations:[_Any!]!){_entities(representations:$representations){...on Media{__typename count}}}',
              requires: [
                {
                  kind: 'InlineFragment',
                  typeCondition: 'Book',
                  selections: [
                    { kind: 'Field', name: '__typename' },
                    { kind: 'Field', name: 'id' },
                  ],
                },
              ],
              inputRewrites: [
                {
                  ValueSetter: {
                    path: [{ TypenameEquals: ['Book'] }, { Key: '__typename' }],
                    setValueTo: 'Media',
                  },
                },
              ],
              outputRewrites: [
                { KeyRenamer: { path: [{ Key: 'count' }], renameKeyTo: 'copiesInStock' } },
                {
                  ValueSetter: {
                    path: [{ TypenameEquals: ['Media'] }, { Key: '__typename' }],
                    setValueTo: 'Book',
                  },
                },
              ],
            },
          },
        ],
      },
      executors,
    );
    expect(requests[1]!.variables.representations).toEqual([{ __typename: 'Media', id: 'b1' }]);
    expect(merged.data.media).toEqual([{ __typename: 'Book', id: 'b1', copiesInStock: 3 }]);
  });

  it('builds representations with @requires fields, sending null for one an earlier fetch did not provide', async () => {
    const { executors, requests } = fakeSubgraphs({
      products: () => ({
        data: {
          topProducts: [
            { __typename: 'Product', upc: '1', dimensions: { weight: 10, unit: 'kg' } },
            { __typename: 'Product', upc: '2' },
          ],
        },
      }),
      inventory: (request) => ({
        data: {
          _entities: (request.variables!.representations as Array<{ dimensions: unknown }>).map(
            ({ dimensions }) => ({ shippingEstimate: dimensions === null ? null : 5 }),
          ),
        },
      }),
    });
    const merged = await run(
      {
        kind: 'Sequence',
        nodes: [
          topProductsFetch,
          {
            kind: 'Flatten',
            path: [{ Field: 'topProducts' }, '@'],
            node: {
              kind: 'Fetch',
              serviceName: 'inventory',
              operation:
                'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{shippingEstimate}}}',
              requires: [
                {
                  kind: 'InlineFragment',
                  typeCondition: 'Product',
                  selections: [
                    { kind: 'Field', name: '__typename' },
                    { kind: 'Field', name: 'upc' },
                    { kind: 'Field', name: 'dimensions', selections: [{ kind: 'Field', name: 'weight' }] },
                  ],
                },
              ],
            },
          },
        ],
      },
      executors,
    );
    expect(requests[1]!.variables.representations).toEqual([
      { __typename: 'Product', upc: '1', dimensions: { weight: 10 } },
      { __typename: 'Product', upc: '2', dimensions: null },
    ]);
    expect(
      (merged.data.topProducts as Array<Record<string, unknown>>).map((p) => p.shippingEstimate),
    ).toEqual([5, null]);
  });

  it('pins an entity error to every entity that shares its representation', async () => {
    const { executors } = fakeSubgraphs({
      products: () => ({
        data: {
          topProducts: [
            { __typename: 'Product', upc: '1' },
            { __typename: 'Product', upc: '1' },
          ],
        },
      }),
      inventory: () => ({
        data: { _entities: [{ inStock: null }] },
        errors: [{ message: 'stock is down', path: ['_entities', 0, 'inStock'] }],
      }),
    });
    const merged = await run(
      {
        kind: 'Sequence',
        nodes: [
          topProductsFetch,
          {
            kind: 'Flatten',
            path: [{ Field: 'topProducts' }, '@'],
            node: {
              kind: 'Fetch',
              serviceName: 'inventory',
              operation:
                'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{inStock}}}',
              requires: PRODUCT_KEY,
            },
          },
        ],
      },
      executors,
    );
    const products = merged.data.topProducts as object[];
    for (const product of products) {
      expect(merged.errors.at(product, 'inStock')?.map(({ error }) => error)).toEqual([
        expect.objectContaining({ message: 'stock is down', extensions: { serviceName: 'inventory' } }),
      ]);
    }
  });
});
