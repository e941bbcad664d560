import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';
import { startCatalogGateway, type CatalogGateway } from './support/startCatalogGateway.js';

const API_KEY = { identity: { apiKeyHeader: 'x-api-key' } };
const as = (key: string) => ({ 'x-api-key': key });

describe('per-field @rateLimit', () => {
  let gateway: CatalogGateway | TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('limits Query.user to 5 a minute in the demo graph (declared in the accounts SDL); the rest is answered and accounts never hears of the 6th', async () => {
    const demo = await startTestGateway();
    gateway = demo;
    const query = '{ user(id: "1") { name } users { id } }';
    for (let i = 0; i < 5; i += 1) {
      const allowed = await demo.post(query);
      expect(allowed.body.errors).toBeUndefined();
      expect(allowed.body.data).toMatchObject({ user: { name: expect.any(String) } });
    }
    demo.mocks.resetRequests();

    const limited = await demo.post(query);
    expect(limited.status).toBe(200);
    const data = limited.body.data as { user: unknown; users: unknown[] };
    expect(data.user).toBeNull();
    expect(data.users.length).toBeGreaterThan(0);
    expect(limited.body.errors).toEqual([
      {
        message: expect.stringContaining('Query.user'),
        locations: [{ line: 1, column: 3 }],
        path: ['user'],
        extensions: { code: 'RATE_LIMITED', limit: 5, remaining: 0, retryAfterMs: expect.any(Number) },
      },
    ]);
    const retryAfterMs = limited.body.errors![0]!.extensions!.retryAfterMs as number;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    // accounts answered `users` and nothing else: no request of that operation selected `user`.
    const accountsQueries = demo.mocks.requests.accounts.map((request) => request.query);
    expect(accountsQueries.length).toBe(1);
    expect(accountsQueries.join('\n')).not.toMatch(/\buser\s*\(/);
  });

  it('sends the limited subgraph no request at all when every field it would answer is limited', async () => {
    const catalog = await startCatalogGateway({
      rateLimits: { ...API_KEY, fields: { 'Query.item': { max: 1, window: '1h' } } },
    });
    gateway = catalog;
    expect((await catalog.post('{ item(id: "1") { id } }', as('a'))).body.data).toEqual({
      item: { id: '1' },
    });
    expect(catalog.queries).toHaveLength(1);

    const limited = await catalog.post('{ item(id: "1") { id name } }', as('a'));
    expect(limited.body.data).toEqual({ item: null });
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(catalog.queries).toHaveLength(1);
  });

  it('counts every alias: an alias bomb over the limit gets nothing, and the bucket is spent for the window', async () => {
    const catalog = await startCatalogGateway({
      rateLimits: { ...API_KEY, fields: { 'Query.item': { max: 5, window: '1h' } } },
    });
    gateway = catalog;
    const bomb = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: item(id: "1") { id }`).join(' ')} ping }`;
    const response = await catalog.post(bomb, as('bomber'));
    expect(response.body.data).toEqual({
      a0: null,
      a1: null,
      a2: null,
      a3: null,
      a4: null,
      a5: null,
      ping: 'pong',
    });
    expect(response.body.errors?.map((error) => error.path)).toEqual([
      ['a0'],
      ['a1'],
      ['a2'],
      ['a3'],
      ['a4'],
      ['a5'],
    ]);
    expect(catalog.queries.join('\n')).not.toContain('item');
    // Refused selections still count (as in GraphQL Yoga): nothing is left this window.
    expect((await catalog.post('{ item(id: "1") { id } }', as('bomber'))).body.data).toEqual({ item: null });

    // Five aliases in one operation are exactly the limit for a fresh client.
    const five = `{ ${Array.from({ length: 5 }, (_, i) => `a${i}: item(id: "1") { id }`).join(' ')} }`;
    const allowed = await catalog.post(five, as('careful'));
    expect(allowed.body.errors).toBeUndefined();
    expect(Object.values(allowed.body.data as object)).toEqual(Array(5).fill({ id: '1' }));
    expect((await catalog.post('{ item(id: "1") { id } }', as('careful'))).body.data).toEqual({ item: null });
  });

  it('counts each fragment spread, inline and named, and honours @skip', async () => {
    const catalog = await startCatalogGateway({
      rateLimits: { ...API_KEY, fields: { 'Query.item': { max: 3, window: '1h' } } },
    });
    gateway = catalog;
    const query = `
      query($skip: Boolean!) {
        ...F
        ... on Query { b: item(id: "2") { id } }
        c: item(id: "3") @skip(if: $skip) { id }
      }
      fragment F on Query { a: item(id: "1") { id } }`;
    // 2 selections (c skipped): allowed, 1 point left.
    const first = await catalog.post(query, as('k'), { skip: true });
    expect(first.body).toEqual({ data: { a: { id: '1' }, b: { id: '2' } } });
    // 3 selections with 1 point left: all refused together.
    const second = await catalog.post(query, as('k'), { skip: false });
    expect(second.body.data).toEqual({ a: null, b: null, c: null });
    expect(second.body.errors).toHaveLength(3);
  });

  it('charges the length of the arrayLengthField list', async () => {
    const catalog = await startCatalogGateway({
      rateLimits: {
        ...API_KEY,
        fields: { 'Query.itemsByIds': { max: 5, window: '1h', arrayLengthField: 'ids' } },
      },
    });
    gateway = catalog;
    const query = 'query($ids: [ID!]!) { itemsByIds(ids: $ids) { id } }';
    expect((await catalog.post(query, as('k'), { ids: ['1', '2', '3', '1'] })).body.errors).toBeUndefined();
    // 4 spent; 2 more would be 6 > 5.
    const over = await catalog.post(query, as('k'), { ids: ['2', '3'] });
    expect(over.body.data).toEqual({ itemsByIds: null });
    expect(over.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 5 });
    // Six ids at once are over the limit for anyone.
    const bulk = await catalog.post(query, as('fresh'), { ids: ['1', '2', '3', '1', '2', '3'] });
    expect(bulk.body.data).toEqual({ itemsByIds: null });
  });

  it('keeps a bucket per client and per identityArgs value (dotted paths reach into input objects)', async () => {
    const catalog = await startCatalogGateway({
      rateLimits: {
        ...API_KEY,
        fields: {
          'Query.item': { max: 1, window: '1h', identityArgs: ['id'] },
          'Query.items': { max: 1, window: '1h', identityArgs: ['filter.category'] },
        },
      },
    });
    gateway = catalog;
    const item = (id: string, key: string) => catalog.post(`{ item(id: "${id}") { id } }`, as(key));
    expect((await item('1', 'alice')).body.data).toEqual({ item: { id: '1' } });
    expect((await item('1', 'alice')).body.data).toEqual({ item: null });
    expect((await item('2', 'alice')).body.data).toEqual({ item: { id: '2' } });
    expect((await item('1', 'bob')).body.data).toEqual({ item: { id: '1' } });

    const items = (category: string) =>
      catalog.post(`{ items(filter: { category: "${category}" }) { id } }`, as('alice'));
    expect((await items('tools')).body.errors).toBeUndefined();
    expect((await items('toys')).body.errors).toBeUndefined();
    expect((await items('tools')).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('nulls the nearest nullable parent of a limited non-null field, at every list position', async () => {
    const catalog = await startCatalogGateway({
      rateLimits: { ...API_KEY, fields: { 'Item.price': { max: 1, window: '1h' } } },
    });
    gateway = catalog;
    await catalog.post('{ item(id: "1") { price } }', as('k'));
    const response = await catalog.post('{ itemsByIds(ids: ["1", "2"]) { id price } ping }', as('k'));
    expect(response.body.data).toEqual({ itemsByIds: [null, null], ping: 'pong' });
    expect(response.body.errors?.map((error) => error.path)).toEqual([
      ['itemsByIds', 0, 'price'],
      ['itemsByIds', 1, 'price'],
    ]);
    // The catalog is asked for the items, but `price` only as a `__typename` placeholder kept in its place.
    expect(catalog.queries.at(-1)).toContain('price: __typename');
    expect(catalog.queries.at(-1)).not.toMatch(/\bprice\b(?!: __typename)/);
    // [Item!]! all the way up: the null reaches the root.
    const root = await catalog.post('{ items { price } }', as('k'));
    expect(root.body.data).toBeNull();
    expect(root.body.errors?.[0]?.path).toEqual(['items', 0, 'price']);
  });

  it('applies a limit on a type to each of its fields, each with its own bucket', async () => {
    const catalog = await startCatalogGateway({
      rateLimits: { ...API_KEY, fields: { Item: { max: 1, window: '1h' } } },
    });
    gateway = catalog;
    expect((await catalog.post('{ item(id: "1") { name } }', as('k'))).body.errors).toBeUndefined();
    const second = await catalog.post('{ item(id: "1") { name price } }', as('k'));
    expect(second.body.data).toEqual({ item: { name: null, price: 100 } });
    expect(second.body.errors?.map((error) => error.path)).toEqual([['item', 'name']]);
  });

  it('exports allowed and limited counts per coordinate', async () => {
    const catalog = await startCatalogGateway({
      rateLimits: { ...API_KEY, fields: { 'Query.item': { max: 1, window: '1h' } } },
    });
    gateway = catalog;
    await catalog.post('{ item(id: "1") { id } }', as('k'));
    await catalog.post('{ item(id: "1") { id } }', as('k'));
    await catalog.post('{ item(id: "1") { id } }', as('k'));
    const text = await catalog.metricsText();
    expect(text).toMatch(/^graft_rate_limit_decisions_total\{limit="Query.item",outcome="allowed"\} 1$/m);
    expect(text).toMatch(/^graft_rate_limit_decisions_total\{limit="Query.item",outcome="limited"\} 2$/m);
  });
});
