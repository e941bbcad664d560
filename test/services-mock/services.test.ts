import { makeExecutableSchema } from '@graphql-tools/schema';
import { stitchingDirectives } from '@graphql-tools/stitching-directives';
import { describe, expect, it } from 'vitest';
import { createMockServices, generateBenchData, type MockServiceName } from '../../services-mock/index.js';
import { postGraphql } from './postGraphql.js';

const mocks = createMockServices();
const post = (name: MockServiceName, query: string, variables?: Record<string, unknown>) =>
  postGraphql(mocks.fetch, mocks.urls[name], query, variables);

const ENTITIES =
  'query ($representations: [_Any!]!) { _entities(representations: $representations) { ...F } }';

describe('the Federation subgraphs', () => {
  it.each([
    ['accounts', /type User\s+@key\(fields: "id"\)/],
    ['products', /type Product\s+@key\(fields: "upc"\)/],
    ['inventory', /type Product\s+@key\(fields: "upc"\)/],
    ['reviews', /type Review\s+@key\(fields: "id"\)/],
  ] as const)('%s answers _service { sdl } with its Federation v2 @key', async (name, keyedType) => {
    const { status, body } = await post(name, '{ _service { sdl } }');
    expect(status).toBe(200);
    const sdl = (body.data?._service as { sdl: string }).sdl;
    // v2.3, or v2.6 where a subgraph uses the authorization directives (accounts).
    expect(sdl).toMatch(/https:\/\/specs\.apollo\.dev\/federation\/v2\.[36]"/);
    expect(sdl).toMatch(keyedType);
  });

  it('accounts resolves a User representation to its row', async () => {
    const { body } = await post(
      'accounts',
      ENTITIES.replace('...F', '... on User { id name username birthday }'),
      {
        representations: [
          { __typename: 'User', id: '3' },
          { __typename: 'User', id: 'nobody' },
        ],
      },
    );
    expect(body).toEqual({
      data: {
        _entities: [{ id: '3', name: 'Kamil Kisiela', username: 'kamilkisiela', birthday: 1234567890 }, null],
      },
    });
  });

  it('products serves the first `first` rows as topProducts, five by default', async () => {
    const { body } = await post(
      'products',
      '{ five: topProducts { upc } two: topProducts(first: 2) { upc name price weight } }',
    );
    expect((body.data?.five as unknown[]).length).toBe(5);
    expect(body.data?.two).toEqual([
      { upc: '1', name: 'Table', price: 899, weight: 100 },
      { upc: '2', name: 'Couch', price: 1299, weight: 1000 },
    ]);
  });

  it('inventory answers shippingEstimate from its own row, ignoring the @requires fields sent', async () => {
    const { body } = await post(
      'inventory',
      ENTITIES.replace('...F', '... on Product { upc inStock shippingEstimate }'),
      {
        representations: [
          { __typename: 'Product', upc: '1', price: 899, weight: 100 },
          { __typename: 'Product', upc: '2', price: 1299, weight: 1000 },
        ],
      },
    );
    expect(body).toEqual({
      data: {
        _entities: [
          { upc: '1', inStock: true, shippingEstimate: null },
          { upc: '2', inStock: false, shippingEstimate: null },
        ],
      },
    });
  });

  it('reviews gives a product its reviews, and every user the first two with user 1 as author', async () => {
    const { body } = await post(
      'reviews',
      ENTITIES.replace(
        '...F',
        '... on Product { upc reviews { id } } ... on User { id reviews { id product { upc } author { id username } } }',
      ),
      {
        representations: [
          { __typename: 'Product', upc: '4' },
          { __typename: 'User', id: '5' },
        ],
      },
    );
    const author = { id: '1', username: 'urigo' };
    expect(body).toEqual({
      data: {
        _entities: [
          { upc: '4', reviews: [{ id: '10' }, { id: '11' }] },
          {
            id: '5',
            reviews: [
              { id: '1', product: { upc: '1' }, author },
              { id: '2', product: { upc: '1' }, author },
            ],
          },
        ],
      },
    });
  });

  it('keeps the reviews rules on generated data: author is the first user, user reviews are the first two', async () => {
    const data = generateBenchData({ users: 3, products: 10, reviews: 30, seed: 3 });
    const generated = createMockServices({ data, only: ['reviews'] });
    const { body } = await postGraphql(
      generated.fetch,
      generated.urls.reviews,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { id author { id username } } } } }',
      { r: [{ __typename: 'User', id: '3' }] },
    );
    const author = { id: '1', username: data.users[0]?.username };
    expect(body.data?._entities).toEqual([
      {
        reviews: [
          { id: '1', author },
          { id: '2', author },
        ],
      },
    ]);
  });
});

describe('the shipping service (plain GraphQL, stitching directives)', () => {
  it('serves its SDL with stitching directives from Query._sdl, and it passes their validator', async () => {
    const { body } = await post('shipping', '{ _sdl }');
    const sdl = body.data?._sdl as string;
    expect(sdl).toContain('type Product @key(selectionSet: "{ upc }")');
    expect(sdl).toContain('@merge');
    expect(sdl).toContain('@computed(selectionSet: "{ weight }")');
    const { stitchingDirectivesValidator } = stitchingDirectives();
    expect(() => stitchingDirectivesValidator(makeExecutableSchema({ typeDefs: sdl }))).not.toThrow();
  });

  it('is not a Federation subgraph: no _service, no _entities', async () => {
    for (const query of ['{ _service { sdl } }', '{ _entities(representations: []) { __typename } }']) {
      const { status, body } = await post('shipping', query);
      expect(status).toBe(200);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.message).toMatch(/Cannot query field "_(service|entities)" on type "Query"/);
    }
  });

  it('merges products by key: cost needs the weight, unknown upcs are null', async () => {
    const { body } = await post(
      'shipping',
      'query ($keys: [ProductKey!]!) { _productsByUpc(keys: $keys) { upc shippingCostCents shippingOptions { carrier costCents } } }',
      { keys: [{ upc: '1', weight: 100 }, { upc: '1' }, { upc: 'no-such-upc' }] },
    );
    const [withWeight, withoutWeight, unknown] = body.data?._productsByUpc as Array<{
      upc: string;
      shippingCostCents: number | null;
      shippingOptions: Array<{ carrier: string; costCents: number }>;
    } | null>;
    expect(unknown).toBeNull();
    expect(withoutWeight?.shippingCostCents).toBeNull();
    const cheapest = withWeight?.shippingOptions[0]?.costCents ?? Number.NaN;
    expect(withWeight?.shippingCostCents).toBe(cheapest + 100 * 2);
    expect(withWeight?.shippingOptions.map((option) => option.carrier).sort()).toEqual([
      'Courier',
      'Freight',
      'Postal',
    ]);
    const costs = withWeight?.shippingOptions.map((option) => option.costCents) ?? [];
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
  });
});
