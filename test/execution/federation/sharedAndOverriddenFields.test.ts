import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkFederation } from '../../support/linkFederation.js';
import { startFederationGateway, type FederationGateway } from '../../support/startFederationGateway.js';

const ROWS = [
  { sku: 'k1', upc: 'u1', name: 'Lamp', tagline: 'Bright' },
  { sku: 'k2', upc: 'u2', name: 'Desk', tagline: 'Sturdy' },
];
/** The value a subgraph answers for a field it no longer serves: seeing it in a response is a routing bug. */
const STALE = -1;

/**
 * `catalog` takes four `Product` fields over from `products`: `price` outright, `discount` behind a label that is
 * always on (`percent(100)`), `shipping` behind one that is always off (`percent(0)`), `rebate` behind a custom
 * label nobody enabled. `name` (with a @tag) and `tagline` are @shareable, `tagline` non-null in `products` but nullable in
 * `catalog`. The key field `sku` and `secret` are @inaccessible.
 */
const graph = {
  products: {
    sdl: `${linkFederation(['key', 'shareable', 'inaccessible'], '2.7')}
      type Product @key(fields: "sku") {
        sku: ID! @inaccessible
        upc: ID!
        name: String @shareable
        tagline: String! @shareable
        price: Int
        discount: Int
        shipping: Int
        rebate: Int
      }
      type Query { products: [Product] }`,
    resolvers: {
      Query: { products: () => ROWS },
      Product: {
        __resolveReference: (ref: { sku: string }) => ROWS.find((row) => row.sku === ref.sku),
        price: () => STALE,
        discount: () => STALE,
        shipping: (row: { sku: string }) => (row.sku === 'k1' ? 7 : 9),
        rebate: (row: { sku: string }) => (row.sku === 'k1' ? 3 : 4),
      },
    },
  },
  catalog: {
    sdl: `${linkFederation(['key', 'shareable', 'override', 'inaccessible', 'tag'], '2.7')}
      type Product @key(fields: "sku") {
        sku: ID! @inaccessible
        name: String @shareable @tag(name: "public")
        tagline: String @shareable
        price: Int @override(from: "products")
        discount: Int @override(from: "products", label: "percent(100)")
        shipping: Int @override(from: "products", label: "percent(0)")
        rebate: Int @override(from: "products", label: "beta")
        secret: String @inaccessible
      }
      type Query { catalog: [Product] }`,
    resolvers: {
      Query: { catalog: () => ROWS.map(({ sku }) => ({ sku })) },
      Product: {
        __resolveReference: (ref: { sku: string }) => ({ sku: ref.sku }),
        name: (row: { sku: string }) => ROWS.find((r) => r.sku === row.sku)?.name,
        tagline: (row: { sku: string }) => (row.sku === 'k1' ? 'Bright' : null),
        price: (row: { sku: string }) => (row.sku === 'k1' ? 100 : 200),
        discount: (row: { sku: string }) => (row.sku === 'k1' ? 10 : 20),
        shipping: () => STALE,
        rebate: () => STALE,
        secret: () => 'do not tell',
      },
    },
  },
};

describe('@shareable, @override, @inaccessible, @tag and a field typed differently in two subgraphs', () => {
  let gateway: FederationGateway;
  beforeAll(async () => {
    gateway = await startFederationGateway(graph);
  });
  afterAll(() => gateway.close());

  it('serves a @shareable field from whichever subgraph is already being asked, without an entity request', async () => {
    for (const [root, subgraph] of [
      ['products', 'products'],
      ['catalog', 'catalog'],
    ] as const) {
      const answer = await gateway.post(`{ ${root} { name } }`);
      expect(answer.body).toEqual({ data: { [root]: [{ name: 'Lamp' }, { name: 'Desk' }] } });
      expect(answer.path).toBe('plan');
      expect(Object.keys(answer.subgraphQueries)).toEqual([subgraph]);
      expect(answer.subgraphRequests).toBe(1);
    }
  });

  it('serves overridden fields from the subgraph that took them over, with and without labels', async () => {
    const answer = await gateway.post('{ products { upc price discount shipping rebate } }');
    expect(answer.body).toEqual({
      data: {
        products: [
          // price: overridden; discount: label always on; shipping: label always off; rebate: label not enabled.
          { upc: 'u1', price: 100, discount: 10, shipping: 7, rebate: 3 },
          { upc: 'u2', price: 200, discount: 20, shipping: 9, rebate: 4 },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphRequests).toBe(2);
  });

  it('answers the nullable supergraph type of a field that is non-null in one subgraph only', async () => {
    // catalog answers null for Desk's tagline: nullable in the supergraph, so no error and no null bubbling.
    const answer = await gateway.post('{ catalog { name tagline } }');
    expect(answer.body).toEqual({
      data: {
        catalog: [
          { name: 'Lamp', tagline: 'Bright' },
          { name: 'Desk', tagline: null },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphRequests).toBe(1);
  });

  it('refuses an @inaccessible field before any subgraph is called', async () => {
    const answer = await gateway.post('{ catalog { name secret } }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.subgraphRequests).toBe(0);
    expect(answer.path).toBe('none');
  });

  it('still joins entities on an @inaccessible key field', async () => {
    const answer = await gateway.post('{ catalog { upc price } }');
    expect(answer.body).toEqual({
      data: {
        catalog: [
          { upc: 'u1', price: 100 },
          { upc: 'u2', price: 200 },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphRequests).toBe(2);
  });
});
