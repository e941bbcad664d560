import { afterEach, describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../services-mock/index.js';
import { mintHmacToken, TEST_HMAC_AUTH } from '../support/mintTokens.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

describe('per-request state', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('never hands one user another user’s data, even when their requests run at the same moment', async () => {
    // Each caller is the `sub` of its token; graft sends it to accounts as `x-user-id` (auth.claimHeaders).
    gateway = await startTestGateway({ config: { auth: TEST_HMAC_AUTH } });
    const users = ['1', '2', '3', '4', '5', '6'];
    const tokens = new Map(
      await Promise.all(users.map(async (id) => [id, await mintHmacToken(id)] as const)),
    );
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const userId = users[i % users.length]!;
        return gateway!
          .post('{ me { id name reviews { id product { name } } } }', undefined, {
            authorization: `Bearer ${tokens.get(userId)}`,
          })
          .then((response) => ({ userId, response }));
      }),
    );
    for (const { userId, response } of responses) {
      expect(response.body.errors).toBeUndefined();
      expect((response.body.data as { me: { id: string } }).me.id).toBe(userId);
    }
    // Every request accounts received carried exactly one caller's header: batches never mix requests.
    for (const request of gateway.mocks.requests.accounts)
      expect(users).toContain(request.headers['x-user-id']);
  });

  it('keeps no loader or cache between requests: the second request sees data changed after the first', async () => {
    const reference = loadReferenceData();
    // Mutable copies of the rows the services serve, so the test can change them between requests.
    const products = reference.products.map((row) => ({ ...row }));
    const users = reference.users.map((row) => ({ ...row }));
    gateway = await startTestGateway({ mocks: { data: { ...reference, products, users } } });
    const query = '{ topProducts(first: 1) { name reviews { author { name } } } }';
    type Data = { topProducts: Array<{ name: string; reviews: Array<{ author: { name: string } }> }> };
    const summarize = (body: { data?: unknown }) => {
      const [product] = (body.data as Data).topProducts;
      return [product?.name, product?.reviews[0]?.author.name];
    };
    expect(summarize((await gateway.post(query)).body)).toEqual(['Table', 'Uri Goldshtein']);

    products[0]!.name = 'Standing desk';
    users[0]!.name = 'Uri G.';
    expect(summarize((await gateway.post(query)).body)).toEqual(['Standing desk', 'Uri G.']);
  });
});
