import { buildSchema, graphql } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

describe('a plain GraphQL service merged with a Federation type', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('adds the stitching-directive service fields to the Federation Product, batched and with @computed inputs', async () => {
    gateway = await startTestGateway();
    const response = await gateway.post(
      '{ topProducts(first: 3) { upc name weight shippingCostCents shippingOptions { carrier costCents } } carriers }',
    );
    expect(response.body.errors).toBeUndefined();
    const data = response.body.data as {
      topProducts: Array<{
        upc: string;
        weight: number;
        shippingCostCents: number;
        shippingOptions: Array<{ carrier: string; costCents: number }>;
      }>;
      carriers: string[];
    };
    expect(data.carriers).toEqual(['Postal', 'Courier', 'Freight']);
    expect(data.topProducts.map((product) => product.upc)).toEqual(['1', '2', '3']);
    for (const product of data.topProducts) {
      expect(product.shippingOptions.map((option) => option.carrier).sort()).toEqual([
        'Courier',
        'Freight',
        'Postal',
      ]);
      // @computed(selectionSet: "{ weight }"): the cheapest option plus 2 cents per weight unit from products.
      expect(product.shippingCostCents).toBe(product.shippingOptions[0]!.costCents + product.weight * 2);
    }
    const merges = gateway.mocks.requests.shipping.filter((request) =>
      request.query.includes('_productsByUpc'),
    );
    expect(merges).toHaveLength(1);
    expect(merges[0]?.variables).toMatchObject({ keys: expect.arrayContaining([{ upc: '1', weight: 100 }]) });
  });

  it('keeps the stitching plumbing (_sdl, _productsByUpc) out of the client-facing graph', async () => {
    gateway = await startTestGateway();
    for (const query of ['{ _sdl }', '{ _productsByUpc(keys: [{ upc: "1" }]) { upc } }']) {
      const response = await gateway.post(query);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('merges a service that cannot change its SDL through merge settings in the config', async () => {
    const warranty = buildSchema(
      'type Product { upc: String!, warrantyYears: Int } type Query { productsByUpcs(upcs: [String!]!): [Product]! }',
    );
    const calls: unknown[] = [];
    const rootValue = {
      productsByUpcs: ({ upcs }: { upcs: string[] }) => {
        calls.push(upcs);
        return upcs.map((upc) => ({ upc, warrantyYears: Number(upc) + 1 }));
      },
    };
    const warrantyFetch: SubgraphFetch = async (_url, init) => {
      const { query, variables } = JSON.parse(init.body) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      const result = await graphql({
        schema: warranty,
        source: query,
        rootValue,
        variableValues: variables ?? null,
      });
      return { status: 200, text: async () => JSON.stringify(result) };
    };
    gateway = await startTestGateway({
      services: ['products'],
      config: {
        subgraphs: [
          { name: 'products', url: 'http://products.mock/graphql' },
          {
            name: 'warranty',
            url: 'http://warranty.local/graphql',
            merge: {
              Product: {
                selectionSet: '{ upc }',
                fieldName: 'productsByUpcs',
                keyField: 'upc',
                keyArg: 'upcs',
              },
            },
          },
        ],
      },
      wrapFetch: (fetch) => (url, init) =>
        url.startsWith('http://warranty.local') ? warrantyFetch(url, init) : fetch(url, init),
    });
    const response = await gateway.post('{ topProducts(first: 4) { name warrantyYears } }');
    expect(response.body).toEqual({
      data: {
        topProducts: [
          { name: 'Table', warrantyYears: 2 },
          { name: 'Couch', warrantyYears: 3 },
          { name: 'Glass', warrantyYears: 4 },
          { name: 'Chair', warrantyYears: 5 },
        ],
      },
    });
    expect(calls).toEqual([['1', '2', '3', '4']]);
  });
});
