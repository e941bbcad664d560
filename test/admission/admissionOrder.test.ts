import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyFunction } from '../../src/auth/PolicyFunction.js';
import { createGate } from '../support/createGate.js';
import { mintHmacToken, TEST_HMAC_AUTH } from '../support/mintTokens.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

describe('admission order', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('lets rate limits see the denials of a policy function that awaits before deciding', async () => {
    // The policy settles only after several turns of the event loop: rate limits, the next step, must wait.
    const slowGoldTier: PolicyFunction = async ({ claims }) => {
      for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      return claims?.tier === 'gold';
    };
    gateway = await startTestGateway({
      config: {
        auth: {
          ...TEST_HMAC_AUTH,
          policies: { slowGoldTier },
          directives: { 'Query.users': { policy: [['slowGoldTier']] } },
        },
        rateLimits: { fields: { 'Query.users': { max: 1, window: '1h' } } },
      },
    });
    const asTier = async (tier: string) =>
      gateway!.post('{ users { id } }', undefined, {
        authorization: `Bearer ${await mintHmacToken('7', { tier })}`,
      });

    for (let i = 0; i < 3; i += 1) {
      const denied = await asTier('silver');
      expect(denied.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    // Denied selections were not charged: the one allowed selection is still there for the gold caller.
    const allowed = await asTier('gold');
    expect(allowed.body.errors).toBeUndefined();
    const spent = await asTier('gold');
    expect(spent.body.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(gateway.subgraphRequestCount()).toBe(1);
  });

  it('runs the steps of one stage one after the other, never two at once', async () => {
    const gate = createGate();
    let policyStarted = 0;
    const heldPolicy: PolicyFunction = async () => {
      policyStarted += 1;
      await gate.wait;
      return true;
    };
    gateway = await startTestGateway({
      config: {
        auth: {
          ...TEST_HMAC_AUTH,
          policies: { heldPolicy },
          directives: { 'Query.users': { policy: [['heldPolicy']] } },
        },
        rateLimits: { store: 'memory', operations: { max: 1, window: '1h' } },
      },
    });
    const token = await mintHmacToken('7');
    const pending = gateway.post('{ users { id } }', undefined, { authorization: `Bearer ${token}` });
    await expect.poll(() => policyStarted).toBe(1);
    // Authorization is still deciding: the operation limit (the next step) has not been consumed yet.
    const metrics = await (await fetch(new URL('/metrics', gateway.graft.opsUrl))).text();
    expect(metrics).not.toMatch(/graft_rate_limit_decisions_total\{limit="operation"/);
    gate.open();
    expect((await pending).body.errors).toBeUndefined();
    const after = await (await fetch(new URL('/metrics', gateway.graft.opsUrl))).text();
    expect(after).toMatch(/graft_rate_limit_decisions_total\{limit="operation",outcome="allowed"\} 1/);
  });
});
