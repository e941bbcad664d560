import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeySources } from '../../src/auth/createKeySources.js';
import { verifyAccessToken } from '../../src/auth/verifyAccessToken.js';
import { AuthenticationError } from '../../src/errors/AuthenticationError.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { assembleToken, createTestKey, mintToken, TEST_NOW_MS, type TestKey } from '../support/mintTokens.js';
import { startJwksServer, type JwksServer } from '../support/startJwksServer.js';

const COOLDOWN_MS = 30_000;
const MAX_AGE_MS = 600_000;
/** Generous, so that a loaded machine never fails a fetch the test expects to succeed. */
const TIMEOUT_MS = 5_000;
/** For the test where the timeout is the behaviour under test. */
const SHORT_TIMEOUT_MS = 1_000;

describe('keys from a JWKS URL', () => {
  let jwks: JwksServer;
  let current: TestKey;
  let rotated: TestKey;
  let clockMs: number;

  beforeEach(async () => {
    current = await createTestKey('key-2030-01', 'RS256');
    rotated = await createTestKey('key-2030-02', 'RS256');
    jwks = await startJwksServer({ keys: [current.publicJwk] });
    clockMs = TEST_NOW_MS;
  });
  afterEach(() => jwks.close());

  function createVerifier(timeoutMs = TIMEOUT_MS) {
    const sources = createKeySources(
      [
        {
          kind: 'jwks',
          url: jwks.url,
          algorithms: ['RS256'],
          timeoutMs,
          cooldownMs: COOLDOWN_MS,
          cacheMaxAgeMs: MAX_AGE_MS,
        },
      ],
      { fetch: globalThis.fetch, now: () => clockMs, logger: createLogger('silent') },
    );
    const verify = (token: string) =>
      verifyAccessToken(token, sources, {
        issuer: undefined,
        audience: undefined,
        clockToleranceSec: 60,
        now: () => clockMs,
      });
    return { verify, warmUp: () => sources[0]!.warmUp() };
  }

  /** Tokens are minted for TEST_NOW; a day of validity lets the clock move on. */
  const tokenFor = (key: TestKey, kid = key.kid) =>
    mintToken({ ...key, kid }, { sub: 'alice', exp: TEST_NOW_MS / 1_000 + 86_400 });

  const reasonOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof AuthenticationError ? error.reason : `threw ${String(error)}`),
    );

  it('fetches the key set once for many tokens arriving together, and verifies them all', async () => {
    const { verify } = createVerifier();
    const token = await tokenFor(current);
    const results = await Promise.all(Array.from({ length: 50 }, () => verify(token)));
    expect(results.every((claims) => claims.sub === 'alice')).toBe(true);
    expect(jwks.fetchCount()).toBe(1);
  });

  it('picks up a rotated key (a new kid) without a restart', async () => {
    const { verify } = createVerifier();
    await verify(await tokenFor(current));
    jwks.setKeys({ keys: [current.publicJwk, rotated.publicJwk] });
    clockMs += COOLDOWN_MS;
    expect((await verify(await tokenFor(rotated))).sub).toBe('alice');
    expect(jwks.fetchCount()).toBe(2);
    // The old key keeps working alongside the new one.
    expect((await verify(await tokenFor(current))).sub).toBe('alice');
    expect(jwks.fetchCount()).toBe(2);
  });

  it('answers a storm of 1,000 tokens with random kids with at most one fetch per cooldown', async () => {
    const { verify } = createVerifier();
    await verify(await tokenFor(current));
    expect(jwks.fetchCount()).toBe(1);
    const storm = async () => {
      // The kid is looked up before the signature is checked, so the tokens need no real signature.
      const tokens = Array.from({ length: 1_000 }, () =>
        assembleToken({ alg: 'RS256', kid: randomUUID() }, { sub: 'mallory' }, 'c2lnbmF0dXJl'),
      );
      return Promise.all(tokens.map((token) => reasonOf(verify(token))));
    };

    // Within the cooldown of the first fetch: no fetch at all.
    clockMs += COOLDOWN_MS - 1;
    expect(new Set(await storm())).toEqual(new Set(['unknown_key']));
    expect(jwks.fetchCount()).toBe(1);

    // Once the cooldown is over: one fetch for the whole storm, then none until the next cooldown ends.
    clockMs += 1;
    expect(new Set(await storm())).toEqual(new Set(['unknown_key']));
    expect(jwks.fetchCount()).toBe(2);
    clockMs += COOLDOWN_MS - 1;
    await storm();
    expect(jwks.fetchCount()).toBe(2);
    clockMs += 1;
    await storm();
    expect(jwks.fetchCount()).toBe(3);
  });

  it('keeps verifying with the cached keys while the endpoint is down, past cacheMaxAge, retrying once per cooldown', async () => {
    const { verify } = createVerifier();
    const token = await tokenFor(current);
    await verify(token);
    jwks.setMode('down');

    clockMs += MAX_AGE_MS;
    expect((await verify(token)).sub).toBe('alice');
    await waitFor(() => jwks.fetchCount() === 2); // the background refresh, which fails
    expect((await verify(token)).sub).toBe('alice');
    expect(jwks.fetchCount()).toBe(2);

    clockMs += COOLDOWN_MS;
    expect((await verify(token)).sub).toBe('alice');
    await waitFor(() => jwks.fetchCount() === 3);

    // Unknown kids during the outage cost the provider nothing more within the cooldown.
    expect(await reasonOf(verify(await tokenFor(current, 'made-up')))).toBe('unknown_key');
    expect(jwks.fetchCount()).toBe(3);

    // The provider is back: the next refresh replaces the keys, and nothing is fetched again for a while.
    jwks.setMode('serve');
    jwks.setKeys({ keys: [current.publicJwk, rotated.publicJwk] });
    clockMs += COOLDOWN_MS;
    await verify(token);
    await waitFor(() => jwks.fetchCount() === 4);
    expect((await verify(await tokenFor(rotated))).sub).toBe('alice');
    clockMs += COOLDOWN_MS;
    await verify(token);
    expect(jwks.fetchCount()).toBe(4);
  });

  it('never makes a token wait for a hanging endpoint when keys are cached', async () => {
    // A fetch timeout longer than the test's own: a verification that waited for the refresh would fail it.
    const { verify } = createVerifier(120_000);
    const token = await tokenFor(current);
    await verify(token);
    jwks.setMode('hang');
    clockMs += MAX_AGE_MS;
    // The refresh this starts is held by the server until the test ends; the verification does not wait.
    expect((await verify(token)).sub).toBe('alice');
    await waitFor(() => jwks.fetchCount() === 2);
    expect((await verify(token)).sub).toBe('alice');
  });

  it('gives up on a hanging first fetch after the timeout, then fails fast until the cooldown ends', async () => {
    const { verify } = createVerifier(SHORT_TIMEOUT_MS);
    jwks.setMode('hang');
    const token = await tokenFor(current);
    // Resolves only because the fetch is cut at SHORT_TIMEOUT_MS: with no timeout this would hang the test.
    expect(await reasonOf(verify(token))).toBe('keys_unavailable');
    expect(jwks.fetchCount()).toBe(1);
    expect(await reasonOf(verify(token))).toBe('keys_unavailable');
    expect(jwks.fetchCount()).toBe(1);
    jwks.setMode('serve');
    clockMs += COOLDOWN_MS;
    expect((await verify(token)).sub).toBe('alice');
    expect(jwks.fetchCount()).toBe(2);
  });

  it('fetches ahead of the first token when warmed up', async () => {
    const { verify, warmUp } = createVerifier();
    warmUp();
    await waitFor(() => jwks.fetchCount() === 1);
    expect((await verify(await tokenFor(current))).sub).toBe('alice');
    expect(jwks.fetchCount()).toBe(1);
  });
});

/** Waits for something the test cannot await directly (a background fetch reaching the server). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 2_000 && !condition(); attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
