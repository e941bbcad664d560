import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkFederation } from '../../support/linkFederation.js';
import { startFederationGateway, type FederationGateway } from '../../support/startFederationGateway.js';

interface ProductRow {
  upc: string;
  weight: number;
  price: number;
  packaging: { kind: string; volume?: number; litres?: number };
}
const PRODUCTS: ProductRow[] = [
  { upc: 'p1', weight: 2, price: 100, packaging: { kind: 'box', volume: 10 } },
  { upc: 'p2', weight: 5, price: 40, packaging: { kind: 'bag', litres: 3 } },
];
const findProduct = (upc: string) => PRODUCTS.find((row) => row.upc === upc);

/**
 * `shipping` computes two fields from fields it does not own: one with arguments, one whose @requires field
 * set selects into an interface with inline fragments.
 */
const requiresGraph = {
  products: {
    sdl: `${linkFederation(['key', 'shareable'])}
      type Product @key(fields: "upc") { upc: ID!, weight: Int, price: Int, packaging: Packaging }
      interface Packaging { kind: String }
      type Box implements Packaging @shareable { kind: String, volume: Int }
      type Bag implements Packaging @shareable { kind: String, litres: Int }
      type Query { products: [Product], product(upc: ID!): Product }`,
    resolvers: {
      Query: {
        // p1 twice: the gateway should ask shipping about it once.
        products: () => [PRODUCTS[0], PRODUCTS[1], PRODUCTS[0]],
        product: (_: unknown, { upc }: { upc: string }) => findProduct(upc),
      },
      Product: { __resolveReference: (ref: { upc: string }) => findProduct(ref.upc) },
      Packaging: {
        __resolveType: (packaging: { volume?: number }) => (packaging.volume === undefined ? 'Bag' : 'Box'),
      },
    },
  },
  shipping: {
    sdl: `${linkFederation(['key', 'external', 'requires', 'shareable'])}
      type Product @key(fields: "upc") {
        upc: ID!
        weight: Int @external
        price: Int @external
        packaging: Packaging @external
        shippingEstimate(zone: String!): Int @requires(fields: "weight price")
        packagingNote: String @requires(fields: "packaging { kind ... on Box { volume } ... on Bag { litres } }")
      }
      interface Packaging { kind: String }
      type Box implements Packaging @shareable { kind: String, volume: Int }
      type Bag implements Packaging @shareable { kind: String, litres: Int }`,
    resolvers: {
      Product: {
        __resolveReference: (ref: Partial<ProductRow> & { upc: string }) => ref,
        shippingEstimate: (product: ProductRow, { zone }: { zone: string }) =>
          product.weight * (zone === 'eu' ? 1 : 3) + (product.price >= 50 ? 0 : 5),
        packagingNote: ({ packaging }: ProductRow) =>
          packaging.volume === undefined
            ? `${packaging.kind} of ${packaging.litres} l`
            : `${packaging.kind} of ${packaging.volume} dm³`,
      },
      Packaging: {
        __resolveType: (packaging: { volume?: number }) => (packaging.volume === undefined ? 'Bag' : 'Box'),
      },
    },
  },
};

describe('@requires', () => {
  let gateway: FederationGateway;
  beforeAll(async () => {
    gateway = await startFederationGateway(requiresGraph);
  });
  afterAll(() => gateway.close());

  it('passes the required fields to a field with arguments, in one entity request per subgraph', async () => {
    const answer = await gateway.post(
      'query ($zone: String!) { products { upc eu: shippingEstimate(zone: "eu") other: shippingEstimate(zone: $zone) } }',
      { zone: 'us' },
    );
    expect(answer.body).toEqual({
      data: {
        products: [
          { upc: 'p1', eu: 2, other: 6 },
          { upc: 'p2', eu: 10, other: 20 },
          { upc: 'p1', eu: 2, other: 6 },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphRequests).toBe(2);
    // p1 appears twice in the list but is one representation, carrying the fields shipping required.
    expect(answer.subgraphVariables.shipping?.[0]?.representations).toEqual([
      { __typename: 'Product', upc: 'p1', weight: 2, price: 100 },
      { __typename: 'Product', upc: 'p2', weight: 5, price: 40 },
    ]);
  });

  it('passes a required field set that selects into an interface through inline fragments', async () => {
    const answer = await gateway.post('{ products { upc packagingNote } }');
    expect(answer.body).toEqual({
      data: {
        products: [
          { upc: 'p1', packagingNote: 'box of 10 dm³' },
          { upc: 'p2', packagingNote: 'bag of 3 l' },
          { upc: 'p1', packagingNote: 'box of 10 dm³' },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphRequests).toBe(2);
    const representations = answer.subgraphVariables.shipping?.[0]?.representations as Array<{
      packaging: Record<string, unknown>;
    }>;
    // Each representation carries the fields of its own packaging type only.
    expect(representations.map((representation) => representation.packaging)).toMatchObject([
      { kind: 'box', volume: 10 },
      { kind: 'bag', litres: 3 },
    ]);
    expect(representations[0]?.packaging).not.toHaveProperty('litres');
  });

  it('fetches required fields the client did not select without returning them', async () => {
    const answer = await gateway.post('{ product(upc: "p2") { shippingEstimate(zone: "eu") } }');
    expect(answer.body).toEqual({ data: { product: { shippingEstimate: 10 } } });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphRequests).toBe(2);
  });
});

const USERS = [
  { id: 'u1', name: 'Ada', email: 'ada@example.com' },
  { id: 'u2', name: 'Grace', email: 'grace@example.com' },
];
const REVIEWS = [
  { id: 'r1', body: 'Solid', authorId: 'u1', editorId: 'u2' },
  { id: 'r2', body: 'Wobbly', authorId: 'u2', editorId: 'u1' },
];

/** `reviews` can answer `User.name` itself, but only under `Review.author` (@provides); elsewhere it is @external. */
const providesGraph = {
  accounts: {
    sdl: `${linkFederation(['key', 'shareable'])}
      type User @key(fields: "id") { id: ID!, name: String @shareable, email: String }`,
    resolvers: { User: { __resolveReference: (ref: { id: string }) => USERS.find((u) => u.id === ref.id) } },
  },
  reviews: {
    sdl: `${linkFederation(['key', 'external', 'provides'])}
      type User @key(fields: "id") { id: ID!, name: String @external }
      type Review { id: ID!, body: String, author: User @provides(fields: "name"), editor: User }
      type Query { reviews: [Review] }`,
    resolvers: {
      Query: { reviews: () => REVIEWS },
      Review: {
        author: (review: { authorId: string }) => USERS.find((u) => u.id === review.authorId),
        editor: (review: { editorId: string }) => ({ id: review.editorId }),
      },
    },
  },
};

describe('@provides and @external', () => {
  let gateway: FederationGateway;
  beforeAll(async () => {
    gateway = await startFederationGateway(providesGraph);
  });
  afterAll(() => gateway.close());

  it('takes a provided field from the providing subgraph without an entity request', async () => {
    const answer = await gateway.post('{ reviews { body author { name } } }');
    expect(answer.body).toEqual({
      data: {
        reviews: [
          { body: 'Solid', author: { name: 'Ada' } },
          { body: 'Wobbly', author: { name: 'Grace' } },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphQueries).toEqual({ reviews: [expect.any(String)] });
  });

  it('fetches an @external field from its owner where it is not provided', async () => {
    const answer = await gateway.post('{ reviews { editor { name } } }');
    expect(answer.body).toEqual({
      data: { reviews: [{ editor: { name: 'Grace' } }, { editor: { name: 'Ada' } }] },
    });
    expect(answer.path).toBe('plan');
    expect(Object.keys(answer.subgraphQueries).sort()).toEqual(['accounts', 'reviews']);
    expect(answer.subgraphRequests).toBe(2);
  });

  it('adds one entity request for the fields the providing subgraph lacks', async () => {
    const answer = await gateway.post('{ reviews { author { name email } } }');
    expect(answer.body).toEqual({
      data: {
        reviews: [
          { author: { name: 'Ada', email: 'ada@example.com' } },
          { author: { name: 'Grace', email: 'grace@example.com' } },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphRequests).toBe(2);
  });
});
