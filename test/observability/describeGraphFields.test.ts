import { describe, expect, it } from 'vitest';
import { describeGraphFields } from '../../src/observability/explain/describeGraphFields.js';
import type { LoadedGraph } from '../../src/stitching/loadGraph.js';

const graphOf = (directiveSources: LoadedGraph['directiveSources']) => ({ directiveSources }) as LoadedGraph;

describe('what explain says about a field', () => {
  it('names the subgraphs that define it (not those marking it @external) and its guards', () => {
    const fields = describeGraphFields(
      graphOf([
        {
          name: 'products',
          sdl: `type Product @key(fields: "upc") { upc: String! name: String @cost(weight: 3) }
                type Query { topProducts(first: Int): [Product] @listSize(assumedSize: 5) }`,
        },
        {
          name: 'inventory',
          sdl: `type Product @key(fields: "upc") @authenticated {
                  upc: String! @external
                  inStock: Boolean @requiresScopes(scopes: [["stock:read"]]) @rateLimit(max: 5, window: "1m")
                }`,
        },
      ]),
      { 'Product.name': { max: 10, window: '1h' } },
    );
    // A directive on the type guards each of its fields, whichever subgraph defines them.
    expect(fields.get('Product.upc')).toEqual({ owners: ['products'], authenticated: true });
    expect(fields.get('Product.inStock')).toEqual({
      owners: ['inventory'],
      authenticated: true,
      requiresScopes: [['stock:read']],
      rateLimit: { max: 5, window: '1m' },
    });
    expect(fields.get('Product.name')).toEqual({
      owners: ['products'],
      authenticated: true,
      cost: 3,
      rateLimit: { max: 10, window: '1h' },
    });
    expect(fields.get('Query.topProducts')).toEqual({ owners: ['products'], listSize: { assumedSize: 5 } });
  });

  it('reads owners from a supergraph file’s join directives', () => {
    const fields = describeGraphFields(
      graphOf([
        {
          name: 'supergraph',
          sdl: `enum join__Graph { INVENTORY @join__graph(name: "inventory", url: "http://i") PRODUCTS @join__graph(name: "products", url: "http://p") }
                type Product @join__type(graph: INVENTORY, key: "upc") @join__type(graph: PRODUCTS, key: "upc") {
                  upc: String!
                  inStock: Boolean @join__field(graph: INVENTORY)
                  name: String @join__field(graph: PRODUCTS) @join__field(graph: INVENTORY, external: true)
                }`,
        },
      ]),
    );
    expect(fields.get('Product.upc')?.owners).toEqual(['inventory', 'products']);
    expect(fields.get('Product.inStock')?.owners).toEqual(['inventory']);
    expect(fields.get('Product.name')?.owners).toEqual(['products']);
  });
});
