import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PolicyFunction } from '../../src/auth/PolicyFunction.js';
import { createSchemaServices } from '../support/createSchemaServices.js';
import { createVaultSubgraph, VAULT_URL } from '../support/createVaultSubgraph.js';
import { mintHmacToken, TEST_HMAC_AUTH } from '../support/mintTokens.js';
import { selectedFieldNames } from '../support/selectedFieldNames.js';
import { startTestGateway, type GraphqlResponse, type TestGateway } from '../support/startTestGateway.js';

const goldTier: PolicyFunction = async ({ claims }) => claims?.tier === 'gold';
const explodes: PolicyFunction = () => {
  throw new Error('policy bug');
};

/** The auth config of these tests: the shared-secret test keys, policies, and rules by coordinate. */
const AUTH = {
  ...TEST_HMAC_AUTH,
  policies: {
    isAdmin: { claim: 'role', equals: 'admin' },
    sameOwner: { claim: 'sub', equalsArgument: 'id' },
    goldTier,
    explodes,
  },
  directives: {
    'Query.audit': { requiresScopes: [['audit:read']] },
    'Query.flaky': { policy: [['explodes']] },
  },
};

async function startVaultGateway(auth: Record<string, unknown>) {
  const vault = createVaultSubgraph();
  const gateway = await startTestGateway({
    services: ['accounts'],
    wrapFetch: vault.wrapFetch,
    config: {
      auth,
      subgraphs: [
        { name: 'accounts', url: 'http://accounts.mock/graphql' },
        { name: 'vault', url: VAULT_URL },
      ],
    },
  });
  vault.reset();
  return { gateway, vault };
}

type Vault = ReturnType<typeof createVaultSubgraph>;

describe('field authorization: denied fields are answered null with an error, nothing denied reaches a subgraph', () => {
  let gateway: TestGateway;
  let vault: Vault;
  beforeAll(async () => {
    ({ gateway, vault } = await startVaultGateway(AUTH));
  });
  afterAll(() => gateway.close());
  beforeEach(() => {
    vault.reset();
    gateway.mocks.resetRequests();
  });

  /** Posts as an anonymous caller, or as `sub` with the given claims (scope: space-separated). */
  async function ask(
    query: string,
    caller?: { sub: string } & Record<string, unknown>,
    variables?: Record<string, unknown>,
  ) {
    const headers: Record<string, string> = caller
      ? { authorization: `Bearer ${await mintHmacToken(caller.sub, caller)}` }
      : {};
    return gateway.post(query, variables, headers);
  }
  const errorsOf = (response: GraphqlResponse) =>
    (response.body.errors ?? []).map((error) => [error.path, error.extensions?.code, error.message]);

  it('answers an anonymous caller null with UNAUTHENTICATED for an @authenticated field, and nulls the data for a non-null one', async () => {
    const response = await ask('{ ping launchCode }');
    expect(response.status).toBe(200);
    expect(response.body.data).toBeNull();
    expect(errorsOf(response)).toEqual([
      [['launchCode'], 'UNAUTHENTICATED', 'Query.launchCode requires authentication'],
    ]);
    expect(vault.fieldsAsked()).not.toContain('launchCode');
  });

  it('calls no subgraph at all when every selected field is denied', async () => {
    const response = await ask('{ launchCode me { id } }');
    expect(response.body.data).toBeNull();
    expect(vault.requests).toHaveLength(0);
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('serves an authenticated caller the @authenticated field', async () => {
    const response = await ask('{ launchCode }', { sub: 'u1' });
    expect(response.body).toEqual({ data: { launchCode: '0000' } });
  });

  it('answers a token without the scope FORBIDDEN, nulling the nearest nullable parent of a non-null field', async () => {
    const response = await ask('{ profile { name ssn } ping }', { sub: 'u1', scope: 'pii:other' });
    expect(response.body.data).toEqual({ profile: null, ping: 'pong' });
    expect(errorsOf(response)).toEqual([
      [['profile', 'ssn'], 'FORBIDDEN', 'Profile.ssn requires the scope pii:read'],
    ]);
    expect(vault.fieldsAsked()).not.toContain('ssn');
  });

  it('puts an error at each nulled list position, nulling nullable items, or the whole list when items are non-null', async () => {
    const response = await ask('{ profiles { name ssn } strictProfiles { ssn } ping }', { sub: 'u1' });
    expect(response.body.data).toEqual({ profiles: [null, null], strictProfiles: null, ping: 'pong' });
    expect(errorsOf(response).map(([path, code]) => [path, code])).toEqual([
      [['profiles', 0, 'ssn'], 'FORBIDDEN'],
      [['profiles', 1, 'ssn'], 'FORBIDDEN'],
      // As in graphql-js: the first non-null item to fail nulls the list, and the rest are not completed.
      [['strictProfiles', 0, 'ssn'], 'FORBIDDEN'],
    ]);
  });

  it('serves the field to a token with the scope, from `scope` or from `scp`', async () => {
    for (const claims of [{ scope: 'other pii:read' }, { scp: ['pii:read'] }]) {
      const response = await ask('{ profile { ssn } }', { sub: 'u1', ...claims });
      expect(response.body).toEqual({ data: { profile: { ssn: '111' } } });
    }
  });

  it('reads @requiresScopes as OR of ANDs', async () => {
    const figures = async (scope: string | undefined) =>
      (await ask('{ report { figures } }', { sub: 'u1', ...(scope === undefined ? {} : { scope }) })).body;
    expect(await figures('reports:read')).toMatchObject({
      data: { report: { figures: null } },
      errors: [{ message: 'Report.figures requires the scopes reports:read and finance, or admin' }],
    });
    expect(await figures('finance')).toMatchObject({ data: { report: { figures: null } } });
    expect(await figures('reports:read finance')).toEqual({ data: { report: { figures: 'up' } } });
    expect(await figures('admin')).toEqual({ data: { report: { figures: 'up' } } });
    expect(await figures(undefined)).toMatchObject({ data: { report: { figures: null } } });
  });

  it('cannot be bypassed with an alias, a named or inline fragment, or a fragment spread twice', async () => {
    const attempts = [
      ['{ profile { name s: ssn } }', [['profile', 's']]],
      ['{ profile { ...P } } fragment P on Profile { ssn }', [['profile', 'ssn']]],
      ['{ profile { ... on Profile { ssn } } }', [['profile', 'ssn']]],
      ['{ ... on Query { profile { ... { ssn } } } }', [['profile', 'ssn']]],
      [
        '{ a: profile { ...P } b: profile { ...P } } fragment P on Profile { name ssn }',
        [
          ['a', 'ssn'],
          ['b', 'ssn'],
        ],
      ],
      ['query Q($yes: Boolean = true) { profile { ssn @include(if: $yes) } }', [['profile', 'ssn']]],
    ] as const;
    for (const [query, paths] of attempts) {
      vault.reset();
      const response = await ask(query, { sub: 'u1', scope: 'other' });
      expect(
        response.body.errors?.map((error) => error.path),
        query,
      ).toEqual(paths);
      expect(vault.fieldsAsked(), query).not.toContain('ssn');
    }
  });

  it('does not deny what @skip or @include leaves out', async () => {
    const response = await ask('{ profile { name ssn @skip(if: true) } }', { sub: 'u1' });
    expect(response.body).toEqual({ data: { profile: { name: 'Ada' } } });
  });

  it('applies a type’s directive to every field of the type and to fields returning it', async () => {
    const direct = await ask('{ secret { id } }', { sub: 'u1' });
    expect(errorsOf(direct)).toEqual([
      [['secret'], 'FORBIDDEN', 'Query.secret requires the scope secrets:read (declared on Secret)'],
    ]);
    const allowed = await ask('{ secret { id code } }', { sub: 'u1', scope: 'secrets:read' });
    expect(allowed.body).toEqual({ data: { secret: { id: 's1', code: '0451' } } });
  });

  it('cannot be bypassed through an interface: a field selected on it needs what every implementation needs', async () => {
    const viaInterface = await ask('{ documents { id title } }', { sub: 'u1' });
    expect(viaInterface.body.data).toEqual({ documents: [null, null] });
    // `id` is non-null: its error nulls each document, so `title` (denied too) is never reached.
    expect(errorsOf(viaInterface)).toEqual([
      [
        ['documents', 0, 'id'],
        'FORBIDDEN',
        'Document.id requires the scope secrets:read (declared on Secret)',
      ],
      [
        ['documents', 1, 'id'],
        'FORBIDDEN',
        'Document.id requires the scope secrets:read (declared on Secret)',
      ],
    ]);
    expect(vault.fieldsAsked()).not.toContain('title');
    expect(vault.fieldsAsked()).not.toContain('id');

    vault.reset();
    const concrete = await ask('{ documents { ... on Memo { title } ... on Secret { code } } }', {
      sub: 'u1',
    });
    expect(concrete.body.data).toEqual({ documents: [{ title: 'lunch' }, { code: null }] });
    expect(errorsOf(concrete)).toEqual([
      [
        ['documents', 1, 'code'],
        'FORBIDDEN',
        'Secret.code requires the scope secrets:read (declared on Secret)',
      ],
    ]);
    expect(vault.fieldsAsked()).not.toContain('code');

    const granted = await ask('{ documents { id title } }', { sub: 'u1', scope: 'secrets:read' });
    expect(granted.body).toEqual({
      data: {
        documents: [
          { id: 'm1', title: 'lunch' },
          { id: 's1', title: 'vault' },
        ],
      },
    });
  });

  it('cannot be bypassed through a union', async () => {
    const response = await ask('{ search { __typename ... on Secret { code } ... on Memo { title } } }', {
      sub: 'u1',
    });
    expect(response.body.data).toEqual({
      search: [
        { __typename: 'Memo', title: 'lunch' },
        { __typename: 'Secret', code: null },
      ],
    });
    expect(errorsOf(response).map(([path]) => path)).toEqual([['search', 1, 'code']]);
    expect(vault.fieldsAsked()).not.toContain('code');
  });

  it('evaluates claim policies, including one comparing a claim with a field argument', async () => {
    const own = await ask(
      'query($id: ID!) { account(id: $id) { balance } }',
      { sub: 'alice' },
      { id: 'alice' },
    );
    expect(own.body).toEqual({ data: { account: { balance: 100 } } });
    vault.reset();
    const other = await ask('{ account(id: "alice") { balance } }', { sub: 'bob' });
    expect(errorsOf(other)).toEqual([
      [['account'], 'FORBIDDEN', 'Query.account is not allowed by policy sameOwner'],
    ]);
    const anonymous = await ask('{ account(id: "alice") { balance } }');
    expect(errorsOf(anonymous)).toEqual([
      [['account'], 'UNAUTHENTICATED', 'Query.account is not allowed by policy sameOwner'],
    ]);
    expect(vault.requests).toHaveLength(0);
  });

  it('evaluates policies as OR of ANDs, TypeScript functions (async) included', async () => {
    const note = async (claims: Record<string, unknown>) =>
      (await ask('{ adminNote }', { sub: 'u1', ...claims })).body;
    expect(await note({ role: 'admin' })).toEqual({ data: { adminNote: 'note' } });
    expect(await note({ tier: 'gold' })).toEqual({ data: { adminNote: 'note' } });
    expect(await note({ role: 'user', tier: 'silver' })).toMatchObject({
      data: { adminNote: null },
      errors: [{ message: 'Query.adminNote is not allowed by policies isAdmin, or goldTier' }],
    });
  });

  it('denies when a policy function throws', async () => {
    const response = await ask('{ flaky ping }', { sub: 'u1', role: 'admin' });
    expect(response.body.data).toEqual({ flaky: null, ping: 'pong' });
    expect(errorsOf(response)).toEqual([
      [['flaky'], 'FORBIDDEN', 'Query.flaky is not allowed by policy explodes'],
    ]);
  });

  it('enforces rules given by schema coordinate in the config', async () => {
    expect(errorsOf(await ask('{ audit }', { sub: 'u1' }))).toEqual([
      [['audit'], 'FORBIDDEN', 'Query.audit requires the scope audit:read'],
    ]);
    expect((await ask('{ audit }', { sub: 'u1', scope: 'audit:read' })).body).toEqual({
      data: { audit: 'audited' },
    });
  });

  it('enforces the demo graph’s own directives: accounts’ @authenticated me and @requiresScopes birthday', async () => {
    const anonymous = await ask('{ me { id } user(id: "1") { name birthday } }');
    expect(anonymous.body.data).toEqual({ me: null, user: { name: 'Uri Goldshtein', birthday: null } });
    expect(errorsOf(anonymous).map(([path, code]) => [path, code])).toEqual([
      [['me'], 'UNAUTHENTICATED'],
      [['user', 'birthday'], 'UNAUTHENTICATED'],
    ]);
    const asked = selectedFieldNames(gateway.mocks.requests.accounts.map((request) => request.query));
    expect([...asked].filter((name) => name === 'me' || name === 'birthday')).toEqual([]);
    const granted = await ask('{ me { id birthday } }', { sub: '2', scope: 'users:read-private' });
    expect(granted.body).toEqual({ data: { me: { id: '2', birthday: 1234567890 } } });
  });

  it('lets variable errors end the request before any subgraph is called', async () => {
    const response = await ask('query($id: ID!) { account(id: $id) { balance } }', { sub: 'alice' });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(vault.requests).toHaveLength(0);
  });
});

describe('auth.onUnauthorizedField: reject', () => {
  let gateway: TestGateway;
  let vault: Vault;
  beforeAll(async () => {
    ({ gateway, vault } = await startVaultGateway({ ...AUTH, onUnauthorizedField: 'reject' }));
  });
  afterAll(() => gateway.close());

  it('refuses the whole operation with 401 for an anonymous caller, calling no subgraph', async () => {
    vault.reset();
    const response = await gateway.post('{ ping launchCode profile { ssn } }');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.body).toEqual({
      errors: [
        {
          message: 'Query.launchCode requires authentication (and 1 more field)',
          extensions: { code: 'UNAUTHENTICATED', deniedFields: ['launchCode', 'profile.ssn'] },
        },
      ],
    });
    expect(vault.requests).toHaveLength(0);
  });

  it('refuses it with 403 insufficient_scope for a token that lacks a scope, and serves allowed operations', async () => {
    vault.reset();
    const token = await mintHmacToken('u1', { scope: 'other' });
    const refused = await gateway.post('{ ping profile { ssn } }', undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(vault.requests).toHaveLength(0);
    const served = await gateway.post('{ ping profile { name } }', undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(served.body).toEqual({ data: { ping: 'pong', profile: { name: 'Ada' } } });
  });
});

describe('rules follow the graph', () => {
  it('enforces a directive a subgraph adds, from the next reload on, without a restart', async () => {
    const link = (imports: string) =>
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ${imports})`;
    let sdl = `${link('["@key"]')}\ntype Query { ping: String }`;
    const services = createSchemaServices({
      live: {
        get federationSdl() {
          return sdl;
        },
      },
    });
    const gateway = await startTestGateway({
      services: ['accounts'],
      wrapFetch: (next) => (url, init) =>
        url.includes('.schema/') ? services.fetch(url, init) : next(url, init),
      config: {
        auth: TEST_HMAC_AUTH,
        subgraphs: [
          { name: 'accounts', url: 'http://accounts.mock/graphql' },
          { name: 'live', url: services.urls.live },
        ],
      },
    });
    try {
      const before = await gateway.post('{ ping }');
      expect(before.body.errors?.map((error) => error.extensions?.code)).not.toContain('UNAUTHENTICATED');

      sdl = `${link('["@key", "@authenticated"]')}\ntype Query { ping: String @authenticated }`;
      expect((await gateway.graft.graphs.reload('test')).outcome).toBe('swapped');
      const after = await gateway.post('{ ping }');
      expect(after.body).toMatchObject({
        data: { ping: null },
        errors: [{ path: ['ping'], extensions: { code: 'UNAUTHENTICATED' } }],
      });
    } finally {
      await gateway.close();
    }
  });
});
