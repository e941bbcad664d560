import { afterEach, describe, expect, it } from 'vitest';
import { mintHmacToken, TEST_HMAC_AUTH } from '../support/mintTokens.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

describe('rate limits with authentication', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('keys buckets by the verified token subject, ahead of the API key and the address', async () => {
    gateway = await startTestGateway({
      config: {
        auth: TEST_HMAC_AUTH,
        rateLimits: { identity: { apiKeyHeader: 'x-api-key' }, operations: { max: 1, window: '1h' } },
      },
    });
    const as = async (sub: string, apiKey: string) =>
      (
        await gateway!.post('{ users { id } }', undefined, {
          authorization: `Bearer ${await mintHmacToken(sub)}`,
          'x-api-key': apiKey,
        })
      ).status;
    expect(await as('alice', 'shared-key')).toBe(200);
    expect(await as('bob', 'shared-key')).toBe(200);
    expect(await as('alice', 'another-key')).toBe(429);
    // Anonymous callers fall back to the key.
    expect((await gateway.post('{ users { id } }', undefined, { 'x-api-key': 'shared-key' })).status).toBe(
      200,
    );
  });

  it('does not charge a selection that authorization already denied', async () => {
    gateway = await startTestGateway({
      config: { auth: TEST_HMAC_AUTH, rateLimits: { fields: { 'Query.me': { max: 1, window: '1h' } } } },
    });
    for (let i = 0; i < 3; i += 1) {
      const anonymous = await gateway.post('{ me { id } }');
      expect(anonymous.body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
    const decisions = async () =>
      (await (await fetch(new URL('/metrics', gateway!.graft.opsUrl))).text())
        .split('\n')
        .filter((line) => line.startsWith('graft_rate_limit_decisions_total{limit="Query.me"'));
    expect(await decisions()).toEqual([]);
    const token = await mintHmacToken('1');
    const signedIn = await gateway.post('{ me { id } }', undefined, { authorization: `Bearer ${token}` });
    expect(signedIn.body).toEqual({ data: { me: { id: '1' } } });
    const again = await gateway.post('{ me { id } }', undefined, { authorization: `Bearer ${token}` });
    expect(again.body.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(await decisions()).toEqual([
      'graft_rate_limit_decisions_total{limit="Query.me",outcome="allowed"} 1',
      'graft_rate_limit_decisions_total{limit="Query.me",outcome="limited"} 1',
    ]);
  });
});
