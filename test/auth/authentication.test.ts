import { exportSPKI, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assembleToken,
  base64url,
  createTestKey,
  mintToken,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TEST_NOW_MS,
  TEST_NOW_SEC,
  type TestKey,
} from '../support/mintTokens.js';
import { postWithRawHeaders } from '../support/postWithRawHeaders.js';
import { startJwksServer, type JwksServer } from '../support/startJwksServer.js';
import { startTestGateway, type GraphqlResponse, type TestGateway } from '../support/startTestGateway.js';

const HMAC_SECRET = 'authentication-test-hmac-secret-0123456789';
/** Allowed anonymously; `me` needs a token. Any subgraph request at all shows a request got through. */
const QUERY = '{ me { id name } users { id } }';

describe('token verification at the front door', () => {
  let jwks: JwksServer;
  let gateway: TestGateway;
  let rsa: TestKey;
  let ec: TestKey;
  let attacker: TestKey;
  const hmac = { kid: 'hmac', alg: 'HS256', privateKey: new TextEncoder().encode(HMAC_SECRET) };

  beforeAll(async () => {
    rsa = await createTestKey('rsa-1', 'RS256');
    ec = await createTestKey('ec-1', 'ES256');
    attacker = await createTestKey('evil', 'RS256');
    jwks = await startJwksServer({ keys: [rsa.publicJwk] });
    gateway = await startTestGateway({
      now: () => TEST_NOW_MS,
      config: {
        auth: {
          keys: [
            { jwksUrl: jwks.url, algorithms: ['RS256'] },
            { publicKey: await exportSPKI(ec.publicKey), kid: 'ec-1', algorithms: ['ES256'] },
            { secret: HMAC_SECRET, algorithms: ['HS256'] },
          ],
          issuer: TEST_ISSUER,
          audience: TEST_AUDIENCE,
          claimHeaders: { 'x-user-id': 'sub' },
        },
      },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await jwks.close();
  });

  const post = (authorization?: string) =>
    gateway.post(QUERY, undefined, authorization === undefined ? {} : { authorization });

  /** 401, the RFC 6750 challenge, the reason, no data, no trace of the token, and no subgraph called. */
  function expectRefused(response: GraphqlResponse, reason: string, token?: string) {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token", error_description="[^"]+"$/,
    );
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason });
    if (token !== undefined) {
      const echoed = `${JSON.stringify(response.body)} ${response.headers.get('www-authenticate')}`;
      for (const part of token.split('.').filter((segment) => segment.length > 8))
        expect(echoed).not.toContain(part);
    }
    expect(gateway.subgraphRequestCount()).toBe(0);
  }

  it('accepts a valid token from each kind of key source, and sends accounts the caller, never the token', async () => {
    for (const [key, sub] of [
      [rsa, '2'],
      [ec, '3'],
      [hmac, '4'],
    ] as const) {
      gateway.mocks.resetRequests();
      const response = await post(`Bearer ${await mintToken(key, { sub })}`);
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect((response.body.data as { me: { id: string } }).me.id).toBe(sub);
      for (const request of gateway.mocks.requests.accounts) {
        expect(request.headers['x-user-id']).toBe(sub);
        expect(request.headers.authorization).toBeUndefined();
      }
    }
  });

  it('lets a request without a token through as anonymous: public fields answer, `me` is null with UNAUTHENTICATED', async () => {
    gateway.mocks.resetRequests();
    const response = await post();
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ me: null, users: expect.any(Array) });
    expect(response.body.errors).toMatchObject([{ path: ['me'], extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(gateway.mocks.requests.accounts.map((request) => request.query).join()).not.toContain('me');
  });

  /** Each row: a credential an attacker (or a broken client) might send, and the reason graft gives. */
  const attacks: Array<[string, () => Promise<string>, string]> = [
    [
      'alg: none',
      async () =>
        assembleToken(
          { alg: 'none', typ: 'JWT' },
          { sub: '1', exp: TEST_NOW_SEC + 60, iss: TEST_ISSUER, aud: TEST_AUDIENCE },
        ),
      'unsigned',
    ],
    [
      'alg: NONE with a signature part',
      async () => assembleToken({ alg: 'NONE' }, { sub: '1', exp: TEST_NOW_SEC + 60 }, 'c2ln'),
      'unsigned',
    ],
    [
      'HS256 "signed" with the RSA public key as the secret (key confusion)',
      async () => {
        const publicPem = await exportSPKI(rsa.publicKey);
        return new SignJWT({ sub: '1', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: TEST_NOW_SEC + 60 })
          .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
          .sign(new TextEncoder().encode(publicPem));
      },
      'bad_signature',
    ],
    [
      'an algorithm off every allow-list (RS384)',
      async () => mintToken(await createTestKey('rsa-1', 'RS384'), { sub: '1' }),
      'algorithm_not_allowed',
    ],
    [
      'an algorithm off every allow-list (PS256)',
      async () => mintToken(await createTestKey('rsa-1', 'PS256'), { sub: '1' }),
      'algorithm_not_allowed',
    ],
    [
      'a tampered payload (sub changed, signature kept)',
      async () => {
        const [header, , signature] = (await mintToken(rsa, { sub: '2' })).split('.');
        const payload = base64url(
          JSON.stringify({ sub: '1', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: TEST_NOW_SEC + 3_600 }),
        );
        return `${header}.${payload}.${signature}`;
      },
      'bad_signature',
    ],
    [
      'a tampered header (typ changed, signature kept)',
      async () => {
        const [, payload, signature] = (await mintToken(rsa, { sub: '2' })).split('.');
        return `${base64url(JSON.stringify({ alg: 'RS256', kid: 'rsa-1', typ: 'at+jwt' }))}.${payload}.${signature}`;
      },
      'bad_signature',
    ],
    [
      'a truncated signature',
      async () => (await mintToken(rsa, { sub: '2' })).slice(0, -12),
      'bad_signature',
    ],
    [
      'a signature from another key under our kid',
      async () => mintToken({ ...attacker, kid: 'rsa-1' }, { sub: '1' }),
      'bad_signature',
    ],
    [
      'expired beyond the 60 s tolerance',
      async () => mintToken(rsa, { sub: '2', exp: TEST_NOW_SEC - 61 }),
      'expired',
    ],
    [
      'expired exactly at the tolerance',
      async () => mintToken(rsa, { sub: '2', exp: TEST_NOW_SEC - 60 }),
      'expired',
    ],
    [
      'nbf beyond the tolerance in the future',
      async () => mintToken(rsa, { sub: '2', nbf: TEST_NOW_SEC + 61 }),
      'not_yet_valid',
    ],
    ['no exp claim', async () => mintToken(rsa, { sub: '2', exp: undefined }), 'missing_claim'],
    [
      'an exp that is not a number',
      async () => mintToken(rsa, { sub: '2', exp: 'tomorrow' as unknown as number }),
      'invalid_claims',
    ],
    [
      'the wrong issuer',
      async () => mintToken(rsa, { sub: '2', iss: 'https://evil.example/' }),
      'wrong_issuer',
    ],
    ['the wrong audience', async () => mintToken(rsa, { sub: '2', aud: 'another-api' }), 'wrong_audience'],
    ['an unknown kid', async () => mintToken(attacker, { sub: '1' }), 'unknown_key'],
    [
      'a local key’s algorithm with another kid',
      async () => mintToken({ ...ec, kid: 'ec-2' }, { sub: '1' }),
      'unknown_key',
    ],
    [
      'jku, x5u and jwk headers pointing at the attacker’s own key',
      async () =>
        mintToken(
          attacker,
          { sub: '1' },
          {
            jku: `${jwks.origin}/attacker/jwks.json`,
            x5u: `${jwks.origin}/attacker/cert.pem`,
            jwk: attacker.publicJwk,
          },
        ),
      'unknown_key',
    ],
    [
      'a jwk header with the attacker’s key under our kid',
      async () => mintToken({ ...attacker, kid: 'rsa-1' }, { sub: '1' }, { jwk: attacker.publicJwk }),
      'bad_signature',
    ],
    [
      'a payload that is not JSON',
      async () => `${base64url('{"alg":"HS256"}')}.${base64url('not json')}.c2ln`,
      'bad_signature',
    ],
  ];

  it.each(attacks)('refuses %s with 401 and calls no subgraph', async (_name, make, reason) => {
    gateway.mocks.resetRequests();
    const token = await make();
    expectRefused(await post(`Bearer ${token}`), reason, token);
  });

  it('never fetches keys from a URL a token names', async () => {
    const token = await mintToken(
      attacker,
      { sub: '1' },
      { jku: `${jwks.origin}/attacker/jwks.json`, x5u: `${jwks.origin}/attacker/x5u` },
    );
    gateway.mocks.resetRequests();
    expectRefused(await post(`Bearer ${token}`), 'unknown_key');
    expect(jwks.requests.filter((path) => path !== '/jwks.json')).toEqual([]);
  });

  it('accepts a token expired by less than the tolerance, and one whose nbf is just inside it', async () => {
    for (const claims of [{ exp: TEST_NOW_SEC - 59 }, { nbf: TEST_NOW_SEC + 59 }]) {
      const response = await post(`Bearer ${await mintToken(rsa, { sub: '5', ...claims })}`);
      expect(response.status).toBe(200);
      expect((response.body.data as { me: { id: string } }).me.id).toBe('5');
    }
  });

  const malformed: Array<[string, string, string]> = [
    ['not a JWT', 'Bearer not-a-jwt', 'malformed'],
    ['two parts', 'Bearer abc.def', 'malformed'],
    ['an empty bearer token', 'Bearer ', 'malformed'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'malformed'],
    ['two tokens in one header', 'Bearer a.b.c, Bearer d.e.f', 'malformed'],
    ['a header part that is not JSON', `Bearer ${base64url('nope')}.${base64url('{}')}.c2ln`, 'malformed'],
    ['an oversized token (9 KiB)', `Bearer ${'a'.repeat(4_600)}.${'b'.repeat(4_600)}.c2ln`, 'too_long'],
  ];

  it.each(malformed)('refuses %s with 401 and calls no subgraph', async (_name, authorization, reason) => {
    gateway.mocks.resetRequests();
    expectRefused(await post(authorization), reason);
  });

  it('refuses two Authorization headers, even when both hold valid tokens', async () => {
    gateway.mocks.resetRequests();
    const token = await mintToken(rsa, { sub: '2' });
    const response = await postWithRawHeaders(gateway.graft.url, QUERY, [
      ['authorization', `Bearer ${token}`],
      ['authorization', `Bearer ${await mintToken(rsa, { sub: '3' })}`],
    ]);
    expectRefused(response, 'multiple_tokens', token);
    expect(response.body.errors?.[0]?.message).toBe(
      'The request has 2 authorization headers; send exactly one',
    );
  });

  it('counts refusals by reason in /metrics', async () => {
    const text = await (await fetch(new URL('/metrics', gateway.graft.opsUrl))).text();
    expect(text).toMatch(/^graft_authentication_refusals_total\{reason="multiple_tokens"\} 1$/m);
    expect(text).toMatch(/^graft_authentication_refusals_total\{reason="unsigned"\} 2$/m);
  });

  it('says what is wrong in the message without repeating the token', async () => {
    const token = await mintToken(rsa, { sub: '2', exp: TEST_NOW_SEC - 3_600 });
    const response = await post(`Bearer ${token}`);
    expect(response.body.errors?.[0]?.message).toBe('The access token has expired');
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The access token has expired"',
    );
  });
});

describe('auth.required and token locations', () => {
  let gateway: TestGateway;
  const hmac = { kid: 'k1', alg: 'HS256', privateKey: new TextEncoder().encode(HMAC_SECRET) };

  beforeAll(async () => {
    gateway = await startTestGateway({
      now: () => TEST_NOW_MS,
      config: {
        auth: {
          keys: [{ secret: HMAC_SECRET, kid: 'k1' }],
          required: true,
          token: { cookie: 'graft_token' },
          issuer: TEST_ISSUER,
          audience: TEST_AUDIENCE,
        },
      },
    });
  });
  afterAll(() => gateway.close());

  it('refuses a request without a token with 401 and a bare Bearer challenge when auth.required is set', async () => {
    gateway.mocks.resetRequests();
    const response = await gateway.post('{ users { id } }');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.body.errors).toEqual([
      {
        message: 'Authentication required: send an access token',
        extensions: { code: 'UNAUTHENTICATED', reason: 'missing' },
      },
    ]);
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('reads the token from the configured cookie when there is no Authorization header', async () => {
    const token = await mintToken(hmac, { sub: '2' });
    const response = await gateway.post('{ me { id } }', undefined, {
      cookie: `theme=dark; graft_token=${token}`,
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ me: { id: '1' } });
  });

  it('refuses two token cookies', async () => {
    const token = await mintToken(hmac, { sub: '2' });
    const response = await gateway.post('{ me { id } }', undefined, {
      cookie: `graft_token=${token}; graft_token=${token}`,
    });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.reason).toBe('multiple_tokens');
  });

  it('uses only the key whose kid the token names', async () => {
    const response = await gateway.post('{ users { id } }', undefined, {
      authorization: `Bearer ${await mintToken({ ...hmac, kid: 'k2' }, { sub: '2' })}`,
    });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.reason).toBe('unknown_key');
  });
});
