import { afterEach, describe, expect, it } from 'vitest';
import { createPlainService, createWarrantyService, WARRANTY_MERGE } from '../support/createPlainService.js';
import { mintHmacToken, TEST_HMAC_AUTH } from '../support/mintTokens.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';

const ADMIN = { token: TEST_ADMIN_TOKEN, allowPrivateNetworks: true };
const WARRANTY_QUERY = '{ topProducts(first: 2) { name warrantyYears } }';

describe('registering subgraphs through the admin API', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('is off (404) without an admin token, and answers 401 without credentials and 403 with wrong ones', async () => {
    gateway = await startTestGateway();
    expect((await gateway.admin('GET', '/admin/subgraphs')).status).toBe(404);
    await gateway.close();

    gateway = await startTestGateway({ config: { admin: ADMIN } });
    const missing = await gateway.admin('GET', '/admin/subgraphs', undefined, null);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('ADMIN_UNAUTHENTICATED');
    const wrong = await gateway.admin('GET', '/admin/subgraphs', undefined, 'not-the-token-at-all');
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('ADMIN_FORBIDDEN');
    // The public GraphQL schema has no admin surface.
    expect((await gateway.post('{ __type(name: "Mutation") { name } }')).body.data).toEqual({ __type: null });
  });

  it('accepts an access token with the admin scope instead of the admin token, recording its subject', async () => {
    const warranty = createWarrantyService();
    gateway = await startTestGateway({
      config: { auth: TEST_HMAC_AUTH, admin: { scope: 'graft:admin', allowPrivateNetworks: true } },
      wrapFetch: warranty.route,
    });
    const admin = await mintHmacToken('team-care', { scope: 'graft:admin users:read' });
    const reader = await mintHmacToken('someone', { scope: 'users:read' });

    const added = await gateway.admin(
      'PUT',
      '/admin/subgraphs/warranty',
      { url: warranty.url, merge: WARRANTY_MERGE },
      admin,
    );
    expect(added.status).toBe(200);
    expect(added.body.change.by).toBe('team-care');
    const refused = await gateway.admin('GET', '/admin/subgraphs', undefined, reader);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('graft:admin');
    expect((await gateway.admin('GET', '/admin/subgraphs', undefined, 'not.a.jwt')).status).toBe(403);
    // No admin token is configured here, so the test token is worth nothing.
    expect((await gateway.admin('GET', '/admin/subgraphs')).status).toBe(403);
  });

  it('adds a service without a restart, lists it, records who and when, and removes it again', async () => {
    const warranty = createWarrantyService();
    gateway = await startTestGateway({ config: { admin: ADMIN }, wrapFetch: warranty.route });
    expect((await gateway.post(WARRANTY_QUERY)).body.errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );

    const added = await gateway.admin('PUT', '/admin/subgraphs/warranty', {
      url: warranty.url,
      merge: WARRANTY_MERGE,
      headers: { 'x-team': 'care' },
      propagate: ['x-tenant'],
    });
    expect(added.status).toBe(200);
    expect(added.body.change).toMatchObject({
      version: 1,
      action: 'put',
      name: 'warranty',
      previous: null,
      by: 'admin-token',
    });
    warranty.requests.length = 0;
    expect((await gateway.post(WARRANTY_QUERY)).body).toEqual({
      data: {
        topProducts: [
          { name: 'Table', warrantyYears: 2 },
          { name: 'Couch', warrantyYears: 3 },
        ],
      },
    });

    // Its static header and its own client-header allow-list reach it, and only it.
    expect(warranty.requests.at(-1)?.headers).toMatchObject({ 'x-team': 'care' });
    await gateway.post(WARRANTY_QUERY, undefined, { 'x-tenant': 't-42' });
    expect(warranty.requests.at(-1)?.headers['x-tenant']).toBe('t-42');
    expect(gateway.mocks.requests.products.at(-1)?.headers['x-tenant']).toBeUndefined();

    const list = await gateway.admin('GET', '/admin/subgraphs');
    expect(list.body.subgraphs).toContainEqual({
      name: 'warranty',
      url: warranty.url,
      headerNames: ['x-team'],
      source: 'registry',
    });
    expect(list.body.subgraphs).toContainEqual(
      expect.objectContaining({ name: 'accounts', source: 'config' }),
    );

    const removed = await gateway.admin('DELETE', '/admin/subgraphs/warranty?force=true');
    expect(removed.status).toBe(200);
    expect(removed.body.breakingChanges).toContainEqual(
      expect.objectContaining({ type: 'FIELD_REMOVED', description: 'Product.warrantyYears was removed.' }),
    );
    expect((await gateway.post(WARRANTY_QUERY)).body.errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(
      (await gateway.admin('GET', '/admin/subgraphs/warranty/history')).body.history.map(
        (c: { action: string }) => c.action,
      ),
    ).toEqual(['put', 'remove']);
  });

  it('refuses a registration that breaks composition with its errors, leaving the graph and the registry untouched', async () => {
    const counter = createPlainService('counter.test', 'type Query { users: Int }', { users: () => 3 });
    gateway = await startTestGateway({ config: { admin: ADMIN }, wrapFetch: counter.route });
    const before = await gateway.readiness();

    const refused = await gateway.admin('PUT', '/admin/subgraphs/counter', { url: counter.url });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'COMPOSITION_FAILED',
      problems: [
        {
          subgraphs: ['accounts', 'counter'],
          coordinate: 'Query.users',
          code: 'FIELD_TYPE_MISMATCH',
          message: 'field Query.users has type [User] in accounts but Int in counter',
        },
      ],
    });
    expect((await gateway.readiness()).schemaHash).toBe(before.schemaHash);
    expect(
      (await gateway.admin('GET', '/admin/subgraphs')).body.subgraphs.map((s: { name: string }) => s.name),
    ).not.toContain('counter');
    expect((await gateway.post('{ users { id } }')).body.data).toMatchObject({
      users: expect.arrayContaining([{ id: '1' }]),
    });
  });

  it('refuses a service whose schema cannot be read (422) and a name the config file owns (409)', async () => {
    gateway = await startTestGateway({ config: { admin: ADMIN } });
    const unreachable = await gateway.admin('PUT', '/admin/subgraphs/ghost', {
      url: 'http://ghost.test/graphql',
    });
    expect(unreachable.status).toBe(422);
    expect(unreachable.body.error.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(unreachable.body.error.problems[0].subgraphs).toEqual(['ghost']);
    const owned = await gateway.admin('PUT', '/admin/subgraphs/accounts', {
      url: 'http://elsewhere.test/graphql',
    });
    expect(owned.status).toBe(409);
    expect(owned.body.error.code).toBe('SUBGRAPH_DEFINED_IN_CONFIG');
  });

  it('reports breaking changes and blocks them unless forced; check is a dry run', async () => {
    const warranty = createWarrantyService();
    const renamed = createPlainService(
      'warranty2.test',
      'type Product { upc: String!, warrantyMonths: Int } type Query { productsByUpcs(upcs: [String!]!): [Product]! }',
      {
        productsByUpcs: ({ upcs }: { upcs: string[] }) => upcs.map((upc) => ({ upc, warrantyMonths: 12 })),
      },
    );
    gateway = await startTestGateway({
      config: { admin: ADMIN },
      wrapFetch: (fetch) => renamed.route(warranty.route(fetch)),
    });
    expect(
      (await gateway.admin('PUT', '/admin/subgraphs/warranty', { url: warranty.url, merge: WARRANTY_MERGE }))
        .status,
    ).toBe(200);

    const move = { url: renamed.url, merge: WARRANTY_MERGE };
    const check = await gateway.admin('POST', '/admin/subgraphs/warranty/check', move);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({
      composes: true,
      breakingChanges: [{ type: 'FIELD_REMOVED', description: 'Product.warrantyYears was removed.' }],
    });

    const blocked = await gateway.admin('PUT', '/admin/subgraphs/warranty', move);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('BREAKING_CHANGE');
    expect((await gateway.post(WARRANTY_QUERY)).body.errors).toBeUndefined();

    expect((await gateway.admin('PUT', '/admin/subgraphs/warranty?force=true', move)).status).toBe(200);
    expect((await gateway.post('{ topProducts(first: 1) { warrantyMonths } }')).body.data).toEqual({
      topProducts: [{ warrantyMonths: 12 }],
    });
  });

  it('rolls a subgraph back to its previous entry', async () => {
    const warranty = createWarrantyService();
    const moved = createWarrantyService('warranty-v2.test');
    gateway = await startTestGateway({
      config: { admin: ADMIN },
      wrapFetch: (fetch) => moved.route(warranty.route(fetch)),
    });
    await gateway.admin('PUT', '/admin/subgraphs/warranty', { url: warranty.url, merge: WARRANTY_MERGE });
    await gateway.admin('PUT', '/admin/subgraphs/warranty', { url: moved.url, merge: WARRANTY_MERGE });
    expect((await gateway.admin('GET', '/admin/subgraphs')).body.subgraphs).toContainEqual(
      expect.objectContaining({ name: 'warranty', url: moved.url }),
    );

    const rolledBack = await gateway.admin('POST', '/admin/subgraphs/warranty/rollback');
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body.change).toMatchObject({
      action: 'rollback',
      previous: { url: moved.url },
      next: { url: warranty.url },
    });
    expect((await gateway.admin('GET', '/admin/subgraphs')).body.subgraphs).toContainEqual(
      expect.objectContaining({ name: 'warranty', url: warranty.url }),
    );
    expect((await gateway.admin('POST', '/admin/subgraphs/nothing/rollback')).status).toBe(404);
  });

  it('refuses URLs that are not http(s) and, by default, private or loopback targets (SSRF guard)', async () => {
    gateway = await startTestGateway({
      config: { admin: { token: TEST_ADMIN_TOKEN } },
      lookup: async (host) => [{ address: host === 'intranet.example' ? '10.1.2.3' : '93.184.216.34' }],
    });
    const cases: Array<[string, string]> = [
      ['file:///etc/passwd', 'only http and https'],
      ['gopher://x/graphql', 'only http and https'],
      ['http://127.0.0.1:6379/graphql', 'private, loopback or reserved address (127.0.0.1)'],
      ['http://[::1]:4000/graphql', 'private, loopback or reserved address (::1)'],
      ['http://169.254.169.254/latest/meta-data', 'private, loopback or reserved address'],
      ['http://intranet.example/graphql', 'private, loopback or reserved address (10.1.2.3)'],
      ['http://user:pw@public.example/graphql', 'must not carry credentials'],
    ];
    for (const [url, reason] of cases) {
      const refused = await gateway.admin('PUT', '/admin/subgraphs/probe', { url });
      expect(refused.status, url).toBe(400);
      expect(refused.body.error.code).toBe('INVALID_REGISTRATION');
      expect(refused.body.error.message).toContain(reason);
    }
    // A public host passes the guard (and then fails only because nothing answers there).
    expect(
      (await gateway.admin('PUT', '/admin/subgraphs/probe', { url: 'http://public.example/graphql' })).body
        .error.code,
    ).toBe('SUBGRAPH_UNAVAILABLE');
    expect((await gateway.admin('PUT', '/admin/subgraphs/probe', { url: 42 })).body.error.code).toBe(
      'INVALID_REGISTRATION',
    );
    const notJson = await fetch(new URL('/admin/subgraphs/probe', gateway.graft.opsUrl), {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{"url": ',
    });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe('INVALID_REGISTRATION');
    expect(
      (await gateway.admin('PUT', '/admin/subgraphs/9lives', { url: 'http://public.example/graphql' })).body
        .error.message,
    ).toContain('must start with a letter');
    // The gateway is still serving after all that.
    expect((await gateway.post('{ topProducts(first: 1) { name } }')).body.data).toEqual({
      topProducts: [{ name: 'Table' }],
    });
  });
});
