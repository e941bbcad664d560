import type { ExecutionRequest } from '@graphql-tools/utils';
import { OperationTypeNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createGate } from '../support/createGate.js';
import { createTestClient } from './support/createTestClient.js';

const query: ExecutionRequest = {
  document: parse('{ topProducts { upc } }'),
  operationType: OperationTypeNode.QUERY,
};
const INSTANCES = ['http://a.test/graphql', 'http://b.test/graphql', 'http://c.test/graphql'];

/** Instances by URL, each counting calls; a dead one refuses connections. */
function instances(dead: Set<string>) {
  const calls = new Map<string, number>(INSTANCES.map((url) => [url, 0]));
  const fetch: SubgraphFetch = async (url) => {
    calls.set(url, (calls.get(url) ?? 0) + 1);
    if (dead.has(url)) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    return { status: 200, text: async () => '{"data":{"topProducts":[]}}' };
  };
  return { fetch, calls };
}

describe('load balancing over instances', () => {
  it('spreads 1,000 queries within ±10 % over two live instances, none to the ejected dead one until it recovers', async () => {
    let now = 1_000_000;
    const dead = new Set([INSTANCES[2]!]);
    const subgraph = instances(dead);
    const { execute, clients } = createTestClient({
      fetch: subgraph.fetch,
      now: () => now,
      subgraph: { urls: INSTANCES },
      requests: {
        retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
        balancing: { ejectAfterFailures: 3, ejectMs: 30_000 },
        breaker: { enabled: false },
      },
    });
    const results = [];
    for (let i = 0; i < 1_000; i += 1) results.push(await execute(query));
    // Retries moved every call that hit the dead instance to a live one.
    expect(results.every((result) => !('errors' in result))).toBe(true);
    const [a, b, c] = INSTANCES.map((url) => subgraph.calls.get(url)!);
    expect(c).toBe(3);
    expect(a! + b!).toBe(1_000);
    expect(Math.abs(a! - 500)).toBeLessThanOrEqual(50);
    expect(Math.abs(b! - 500)).toBeLessThanOrEqual(50);
    expect(clients.health()[0]?.instances.find((i) => i.url === INSTANCES[2])?.healthy).toBe(false);

    // The cool-down ends and the instance is back up: it takes its share again.
    dead.clear();
    now += 30_000;
    for (let i = 0; i < 300; i += 1) await execute(query);
    expect(subgraph.calls.get(INSTANCES[2]!)! - 3).toBeGreaterThanOrEqual(90);
  });

  it('gives weighted instances calls in proportion to their weights', async () => {
    const subgraph = instances(new Set());
    const { execute } = createTestClient({
      fetch: subgraph.fetch,
      subgraph: { urls: [{ url: INSTANCES[0]!, weight: 3 }, INSTANCES[1]!] },
    });
    for (let i = 0; i < 400; i += 1) await execute(query);
    expect([subgraph.calls.get(INSTANCES[0]!), subgraph.calls.get(INSTANCES[1]!)]).toEqual([300, 100]);
  });

  it('least-in-flight sends the next call to the instance with the fewest calls outstanding', async () => {
    const gate = createGate();
    const calls: string[] = [];
    const fetch: SubgraphFetch = async (url, init) => {
      calls.push(url);
      // Instance a holds its calls; b answers at once.
      if (url === INSTANCES[0] && !init.body.includes('fast')) await gate.wait;
      return { status: 200, text: async () => '{"data":{"topProducts":[]}}' };
    };
    const { execute } = createTestClient({
      fetch,
      subgraph: { urls: INSTANCES.slice(0, 2) },
      requests: { dedupeInflight: false, balancing: { strategy: 'least-in-flight' } },
    });
    const held = execute(query);
    for (let i = 0; i < 5; i += 1) await execute(query);
    expect(calls).toEqual([INSTANCES[0], ...Array(5).fill(INSTANCES[1])]);
    gate.open();
    await held;
  });

  it('ejects an instance that fails active health checks and takes it back when they pass', async () => {
    const dead = new Set([INSTANCES[1]!]);
    const rounds: Array<() => void> = [];
    /** Resolves after the next two probes (one health-check round over both instances) have been answered. */
    const nextRound = () => new Promise<void>((resolve) => rounds.push(resolve));
    let probes = 0;
    const fetch: SubgraphFetch = async (url, init) => {
      const isProbe = init.body.includes('__typename');
      if (isProbe) probes += 1;
      const answer = dead.has(url)
        ? Promise.reject(new TypeError('fetch failed'))
        : Promise.resolve({
            status: 200,
            text: async () => '{"data":{"__typename":"Query","topProducts":[]}}',
          });
      // Let the balancer take the result in before the test looks.
      if (isProbe && probes % 2 === 0) setImmediate(() => rounds.splice(0).forEach((resolve) => resolve()));
      return answer;
    };
    const { execute, clients } = createTestClient({
      fetch,
      subgraph: { urls: INSTANCES.slice(0, 2) },
      requests: { balancing: { healthCheckIntervalMs: 5, ejectMs: 60_000 } },
    });
    const healthOf = (url: string) => clients.health()[0]?.instances.find((i) => i.url === url)?.healthy;
    await nextRound();
    expect(healthOf(INSTANCES[1]!)).toBe(false);
    expect(healthOf(INSTANCES[0]!)).toBe(true);
    const results = await Promise.all(Array.from({ length: 10 }, () => execute(query)));
    expect(results.every((result) => !('errors' in result))).toBe(true);

    dead.clear();
    await nextRound();
    await nextRound();
    expect(healthOf(INSTANCES[1]!)).toBe(true);
    await clients.close();
  });
});
