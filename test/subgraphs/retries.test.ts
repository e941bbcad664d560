import type { ExecutionRequest } from '@graphql-tools/utils';
import { OperationTypeNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../src/gateway/GatewayContext.js';
import { createLogger } from '../../src/observability/createLogger.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createTestClient } from './support/createTestClient.js';

const OK = '{"data":{"topProducts":[{"upc":"1"}]}}';

function request(
  operationType = OperationTypeNode.QUERY,
  deadlineAtMs = Date.now() + 10_000,
): ExecutionRequest {
  const context: GatewayContext = {
    requestId: 'r1',
    forwardedHeaders: {},
    logger: createLogger('silent'),
    requestHeaders: {},
    peerAddress: '127.0.0.1',
    deadlineAtMs,
  };
  const field = operationType === OperationTypeNode.QUERY ? 'topProducts' : 'addProduct';
  return { document: parse(`${operationType} { ${field} { upc } }`), operationType, context };
}

/** A subgraph that answers with the scripted statuses (or connection errors) in turn, then 200. */
function scriptedSubgraph(script: Array<number | 'refused'>, headers: Record<string, string> = {}) {
  let calls = 0;
  const fetch: SubgraphFetch = async () => {
    const step = script[calls];
    calls += 1;
    if (step === 'refused') throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const status = step ?? 200;
    return {
      status,
      text: async () => (status === 200 ? OK : 'unavailable'),
      headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    };
  };
  return { fetch, calls: () => calls };
}

const fastRetries = { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 } };

describe('retries', () => {
  it('retries a query that could not connect or got 502, 503 or 504, and answers with the success', async () => {
    for (const failure of ['refused', 502, 503, 504] as const) {
      const subgraph = scriptedSubgraph([failure, failure]);
      const { execute } = createTestClient({ fetch: subgraph.fetch, requests: fastRetries });
      expect(await execute(request())).toEqual({ data: { topProducts: [{ upc: '1' }] } });
      expect(subgraph.calls()).toBe(3);
    }
  });

  it('never retries a mutation, whatever the failure', async () => {
    for (const failure of ['refused', 502, 503] as const) {
      const subgraph = scriptedSubgraph([failure]);
      const { execute } = createTestClient({ fetch: subgraph.fetch, requests: fastRetries });
      const result = (await execute(request(OperationTypeNode.MUTATION))) as { errors?: unknown[] };
      expect(result.errors).toHaveLength(1);
      expect(subgraph.calls()).toBe(1);
    }
  });

  it('does not retry a 500, a 400 or a timeout', async () => {
    for (const status of [500, 400]) {
      const subgraph = scriptedSubgraph([status]);
      const { execute } = createTestClient({ fetch: subgraph.fetch, requests: fastRetries });
      await execute(request());
      expect(subgraph.calls()).toBe(1);
    }
    let calls = 0;
    const hung: SubgraphFetch = async () => {
      calls += 1;
      return new Promise(() => {});
    };
    const { execute } = createTestClient({
      fetch: hung,
      requests: { ...fastRetries, timeoutMs: 20 },
    });
    const result = (await execute(request())) as unknown as { errors: Array<{ extensions: { code: string } }> };
    expect(result.errors[0]?.extensions.code).toBe('SUBGRAPH_TIMEOUT');
    expect(calls).toBe(1);
  });

  it('stops after maxRetries and answers with the last failure', async () => {
    const subgraph = scriptedSubgraph(['refused', 'refused', 'refused', 'refused']);
    const { execute } = createTestClient({ fetch: subgraph.fetch, requests: fastRetries });
    const result = (await execute(request())) as unknown as { errors: Array<{ extensions: { code: string } }> };
    expect(result.errors[0]?.extensions.code).toBe('SUBGRAPH_UNREACHABLE');
    expect(subgraph.calls()).toBe(3);
  });

  it('honours a 429’s Retry-After when it fits, and gives up at once when it is longer than maxDelayMs', async () => {
    const delays: number[] = [];
    const short = scriptedSubgraph([429], { 'retry-after': '0' });
    const fits = createTestClient({
      fetch: short.fetch,
      requests: fastRetries,
      random: () => {
        delays.push(1);
        return 1;
      },
    });
    expect(await fits.execute(request())).toEqual({ data: { topProducts: [{ upc: '1' }] } });
    expect(short.calls()).toBe(2);
    // Retry-After decided the wait, not the jittered backoff.
    expect(delays).toEqual([]);

    const long = scriptedSubgraph([429], { 'retry-after': '120' });
    const tooLong = createTestClient({ fetch: long.fetch, requests: fastRetries });
    await tooLong.execute(request());
    expect(long.calls()).toBe(1);
  });

  it('never waits for a retry past the request deadline', async () => {
    const subgraph = scriptedSubgraph(['refused', 'refused']);
    const { execute } = createTestClient({
      fetch: subgraph.fetch,
      requests: { retry: { maxRetries: 2, baseDelayMs: 1_000, maxDelayMs: 1_000 } },
      random: () => 0.99,
    });
    await execute(request(OperationTypeNode.QUERY, Date.now() + 100));
    expect(subgraph.calls()).toBe(1);
  });

  it('stops retrying at the budget: an outage adds at most budgetRatio of the load, plus the minimum', async () => {
    let calls = 0;
    const down: SubgraphFetch = async () => {
      calls += 1;
      return { status: 503, text: async () => 'down' };
    };
    const { execute, metrics } = createTestClient({
      fetch: down,
      requests: {
        retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 1, budgetRatio: 0.2, budgetMinRetries: 5 },
        breaker: { enabled: false },
      },
    });
    for (let i = 0; i < 200; i += 1) await execute(request());
    // Without a budget: 200 × 4 = 800 calls. With it: 200 first attempts + 5 + 0.2 × 200 retries.
    expect(calls).toBeLessThanOrEqual(200 + 5 + 40);
    expect(calls).toBeGreaterThan(200);
    expect(await metrics.registry.metrics()).toMatch(
      /^graft_subgraph_retries_total\{subgraph="products",outcome="budget_exhausted"\} [1-9]/m,
    );
  });
});
