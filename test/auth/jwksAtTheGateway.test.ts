import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assembleToken,
  createTestKey,
  mintToken,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TEST_NOW_MS,
} from '../support/mintTokens.js';
import { startJwksServer, type JwksServer } from '../support/startJwksServer.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const COOLDOWN_MS = 30_000;
const MAX_AGE_MS = 600_000;

describe('a gateway verifying against an identity provider’s JWKS', () => {
  let jwks: JwksServer | undefined;
  let gateway: TestGateway | undefined;
  let clockMs = TEST_NOW_MS;
  afterEach(async () => {
    await gateway?.close();
    await jwks?.close();
    gateway = undefined;
    jwks = undefined;
  });

  async function start(initialKeys: Parameters<typeof startJwksServer>[0]) {
    clockMs = TEST_NOW_MS;
    jwks = await startJwksServer(initialKeys);
    gateway = await startTestGateway({
      now: () => clockMs,
      config: {
        auth: {
          keys: [{ jwksUrl: jwks.url, cooldownMs: COOLDOWN_MS, cacheMaxAgeMs: MAX_AGE_MS }],
          issuer: TEST_ISSUER,
          audience: TEST_AUDIENCE,
          claimHeaders: { 'x-user-id': 'sub' },
        },
      },
    });
    return { jwks, gateway };
  }

  const me = (token: string) =>
    gateway!.post('{ me { id } }', undefined, { authorization: `Bearer ${token}` });
  const longLived = { exp: TEST_NOW_MS / 1_000 + 86_400 };

  it('fetches the keys at start-up, accepts a rotated key without a restart, and keeps working while the provider is down', async () => {
    const first = await createTestKey('2030-01');
    const second = await createTestKey('2030-02');
    const { jwks } = await start({ keys: [first.publicJwk] });
    await waitFor(() => jwks.fetchCount() === 1);

    expect((await me(await mintToken(first, { sub: '2', ...longLived }))).body.data).toEqual({
      me: { id: '2' },
    });
    jwks.setKeys({ keys: [first.publicJwk, second.publicJwk] });
    clockMs += COOLDOWN_MS;
    expect((await me(await mintToken(second, { sub: '3', ...longLived }))).body.data).toEqual({
      me: { id: '3' },
    });
    expect(jwks.fetchCount()).toBe(2);

    jwks.setMode('down');
    clockMs += MAX_AGE_MS;
    for (const [key, sub] of [
      [first, '4'],
      [second, '5'],
    ] as const) {
      const response = await me(await mintToken(key, { sub, ...longLived }));
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ me: { id: sub } });
    }
  });

  it('answers a storm of 1,000 tokens with random kids with 401s, one JWKS fetch per cooldown and no subgraph request', async () => {
    const key = await createTestKey('2030-01');
    const { jwks, gateway } = await start({ keys: [key.publicJwk] });
    await waitFor(() => jwks.fetchCount() === 1);
    gateway.mocks.resetRequests();
    clockMs += COOLDOWN_MS;

    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      const responses = await Promise.all(
        Array.from({ length: 100 }, () =>
          me(assembleToken({ alg: 'RS256', kid: randomUUID() }, { sub: '1', ...longLived }, 'c2ln')),
        ),
      );
      statuses.push(...responses.map((response) => response.status));
    }
    expect(statuses).toHaveLength(1_000);
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(jwks.fetchCount()).toBe(2);
    expect(gateway.subgraphRequestCount()).toBe(0);
    // A thousand real HTTP requests take seconds on a loaded two-core machine; the default 30 s is too tight.
  }, 90_000);

  it('answers 503 AUTH_KEYS_UNAVAILABLE with Retry-After when the keys were never fetched, without calling subgraphs', async () => {
    const key = await createTestKey('2030-01');
    jwks = await startJwksServer({ keys: [key.publicJwk] });
    jwks.setMode('down');
    gateway = await startTestGateway({
      now: () => clockMs,
      config: {
        auth: {
          keys: [{ jwksUrl: jwks.url, cooldownMs: COOLDOWN_MS }],
          issuer: TEST_ISSUER,
          audience: TEST_AUDIENCE,
        },
      },
    });
    const response = await gateway.post('{ users { id } }', undefined, {
      authorization: `Bearer ${await mintToken(key, { sub: '2' })}`,
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'AUTH_KEYS_UNAVAILABLE' });
    expect(gateway.subgraphRequestCount()).toBe(0);
    // Anonymous requests need no keys and are served.
    expect((await gateway.post('{ users { id } }')).status).toBe(200);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 2_000 && !condition(); attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
