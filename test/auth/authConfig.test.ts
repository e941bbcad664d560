import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/config/loadConfig.js';
import { ConfigError } from '../../src/errors/ConfigError.js';
import { writeTempFile } from '../support/writeTempFile.js';

const SUBGRAPHS = [{ name: 'a', url: 'http://a.test/graphql' }];
const SECRET = 'a-secret-of-at-least-thirty-two-bytes!';

function issuesOf(auth: unknown): string[] {
  try {
    parseConfig({ subgraphs: SUBGRAPHS, auth }, 'graft.yaml', {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  return [];
}

describe('the auth config', () => {
  it('defaults to no authentication, with every option filled', () => {
    const { auth } = parseConfig({ subgraphs: SUBGRAPHS }, 'graft.yaml', {});
    expect(auth).toEqual({
      keys: [],
      required: false,
      token: { header: 'authorization', scheme: 'Bearer', maxLength: 8_192 },
      issuer: undefined,
      audience: undefined,
      clockToleranceSec: 60,
      scopeClaims: ['scope', 'scp'],
      claimHeaders: {},
      policies: {},
      directives: {},
      onUnauthorizedField: 'null',
    });
  });

  it('fills each key source’s defaults: JWKS timings, algorithms, issuer and audience as lists', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const { auth } = parseConfig(
      {
        subgraphs: SUBGRAPHS,
        auth: {
          keys: [
            { jwksUrl: 'https://idp.example/jwks.json' },
            { publicKey: await exportSPKI(publicKey) },
            { publicKey: await exportJWK(publicKey), kid: 'k' },
            { secret: '${JWT_SECRET}' },
          ],
          issuer: 'https://idp.example/',
          audience: ['api', 'admin-api'],
        },
      },
      'graft.yaml',
      { JWT_SECRET: SECRET },
    );
    expect(auth.keys).toMatchObject([
      {
        kind: 'jwks',
        algorithms: ['RS256'],
        timeoutMs: 5_000,
        cooldownMs: 30_000,
        cacheMaxAgeMs: 600_000,
      },
      { kind: 'publicKey', algorithms: ['ES256'], kid: undefined },
      { kind: 'publicKey', algorithms: ['ES256'], kid: 'k' },
      { kind: 'secret', algorithms: ['HS256'], secret: SECRET },
    ]);
    expect(auth.issuer).toEqual(['https://idp.example/']);
    expect(auth.audience).toEqual(['api', 'admin-api']);
  });

  it('refuses `none`, HMAC algorithms on public keys and asymmetric ones on secrets', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    expect(issuesOf({ keys: [{ jwksUrl: 'https://idp.example/jwks', algorithms: ['none'] }] })[0]).toMatch(
      /^auth\.keys\[0\]\.algorithms\[0\]: /,
    );
    expect(issuesOf({ keys: [{ jwksUrl: 'https://idp.example/jwks', algorithms: ['HS256'] }] })).toEqual([
      'auth.keys[0].algorithms: HS256 is an HMAC algorithm: it needs a `secret`, never a public key',
    ]);
    expect(
      issuesOf({ keys: [{ publicKey: await exportSPKI(publicKey), algorithms: ['RS256', 'HS256'] }] }),
    ).toEqual([
      'auth.keys[0].algorithms: HS256 is an HMAC algorithm: it needs a `secret`, never a public key',
    ]);
    expect(issuesOf({ keys: [{ secret: SECRET, algorithms: ['RS256'] }] })).toEqual([
      'auth.keys[0].algorithms: RS256 needs a public key, not a secret',
    ]);
  });

  it('refuses short secrets, private keys, keys that do not fit their algorithms, and ambiguous sources', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const ec = await generateKeyPair('ES256', { extractable: true });
    expect(issuesOf({ keys: [{ secret: 'short' }] })).toEqual([
      'auth.keys[0].secret: must be at least 32 bytes for HS256 (it has 5)',
    ]);
    expect(issuesOf({ keys: [{ secret: SECRET, algorithms: ['HS512'] }] })).toEqual([
      'auth.keys[0].secret: must be at least 64 bytes for HS512 (it has 38)',
    ]);
    expect(issuesOf({ keys: [{ publicKey: await exportPKCS8(rsa.privateKey) }] })).toEqual([
      'auth.keys[0].publicKey: is a private key: give graft the public key only',
    ]);
    expect(issuesOf({ keys: [{ publicKey: await exportJWK(rsa.privateKey) }] })).toEqual([
      'auth.keys[0].publicKey: is a private key: give graft the public key only',
    ]);
    expect(
      issuesOf({ keys: [{ publicKey: await exportSPKI(ec.publicKey), algorithms: ['ES384'] }] }),
    ).toEqual(['auth.keys[0].algorithms: ES384 does not match the key (a ec prime256v1 key serves ES256)']);
    expect(issuesOf({ keys: [{ publicKey: 'not a key' }] })[0]).toMatch(
      /^auth\.keys\[0\]\.publicKey: is not a PEM or JWK public key/,
    );
    expect(issuesOf({ keys: [{ secret: SECRET, jwksUrl: 'https://idp.example/jwks' }] })).toEqual([
      'auth.keys[0]: give only one of `jwksUrl`, `secret`',
    ]);
    expect(issuesOf({ keys: [{ algorithms: ['RS256'] }] })).toEqual([
      'auth.keys[0]: give one of `jwksUrl`, `publicKey` or `secret`',
    ]);
    expect(issuesOf({ keys: [{ secret: SECRET, cooldownMs: 5 }] })).toEqual([
      'auth.keys[0].cooldownMs: applies to `jwksUrl` sources only',
    ]);
  });

  it('refuses required without keys, unknown policies, reserved claim headers and bad coordinates', () => {
    expect(issuesOf({ required: true })).toEqual([
      'auth.required: needs at least one key source in `keys` to verify tokens with',
    ]);
    expect(issuesOf({ directives: { 'Query.orders': { policy: [['isAdmin']] } } })).toEqual([
      'auth.directives.Query.orders.policy[0][0]: names policy "isAdmin", which `auth.policies` does not define',
    ]);
    expect(issuesOf({ claimHeaders: { 'X-Request-Id': 'sub' } })).toEqual([
      'auth.claimHeaders.X-Request-Id: is a header graft sets itself',
    ]);
    expect(issuesOf({ directives: { 'not a coordinate': { authenticated: true } } })).toEqual([
      'auth.directives.not a coordinate: is not a schema coordinate: write `Type.field`, or `Type` for the type itself',
    ]);
    expect(issuesOf({ claimHeaders: { 'x user': 'sub' } })).toEqual([
      'auth.claimHeaders.x user: is not a valid HTTP header name',
    ]);
    expect(issuesOf({ directives: { 'Query.orders': {} } })).toEqual([
      'auth.directives.Query.orders: give at least one of `authenticated`, `requiresScopes`, `policy`',
    ]);
    expect(issuesOf({ policies: { isAdmin: { claim: 'role' } } })).toEqual([
      'auth.policies.isAdmin: must be { claim, equals }, { claim, equalsArgument }, or (in a graft.config.ts) a function of { claims, args, coordinate }',
    ]);
  });

  it('accepts a TypeScript function as a policy in a graft.config.ts', async () => {
    const file = writeTempFile(
      'graft.config.ts',
      `export default {
  subgraphs: [{ name: 'a', url: 'https://a.example/graphql' }],
  auth: {
    keys: [{ secret: '${SECRET}' }],
    policies: {
      gold: ({ claims }: { claims?: Record<string, unknown> }) => claims?.tier === 'gold',
      isAdmin: { claim: 'role', equals: 'admin' },
    },
    directives: { 'Query.vip': { policy: [['gold'], ['isAdmin']] } },
  },
};
`,
    );
    const { config } = await loadConfigFile(file, {});
    const gold = config.auth.policies.gold;
    expect(typeof gold).toBe('function');
    expect(
      typeof gold === 'function' && gold({ claims: { tier: 'gold' }, args: {}, coordinate: 'Query.vip' }),
    ).toBe(true);
  });
});
