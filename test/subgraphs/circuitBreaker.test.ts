import type { ExecutionRequest } from '@graphql-tools/utils';
import { OperationTypeNode, parse } from 'graphql';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/createLogger.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createTestClient } from './support/createTestClient.js';

const query: ExecutionRequest = {
  document: parse('{ topProducts { upc } }'),
  operationType: OperationTypeNode.QUERY,
};

function codeOf(result: unknown): string | undefined {
  return (result as { errors?: Array<{ extensions: { code: string } }> }).errors?.[0]?.extensions.code;
}

/** A subgraph the test switches between up (200) and down (connection refused), counting calls. */
function switchableSubgraph() {
  let up = true;
  let calls = 0;
  const fetch: SubgraphFetch = async () => {
    calls += 1;
    if (!up) throw new TypeError('fetch failed');
    return { status: 200, text: async () => '{"data":{"topProducts":[]}}' };
  };
  return {
    fetch,
    calls: () => calls,
    setUp: (value: boolean) => {
      up = value;
    },
  };
}

function collectLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

describe('circuit breaker', () => {
  it('opens at the failure ratio over the minimum volume, fails fast without calling, probes after openMs, and closes', async () => {
    let now = 1_000_000;
    const subgraph = switchableSubgraph();
    const { lines, logger } = collectLogs();
    const { execute, clients, metrics } = createTestClient({
      fetch: subgraph.fetch,
      now: () => now,
      logger,
      requests: {
        breaker: { failureRatio: 0.5, minimumRequests: 10, windowMs: 10_000, openMs: 5_000 },
      },
    });
    // 5 successes, then failures: the ratio reaches 0.5 at the 10th call.
    for (let i = 0; i < 5; i += 1) await execute(query);
    subgraph.setUp(false);
    for (let i = 0; i < 4; i += 1) expect(codeOf(await execute(query))).toBe('SUBGRAPH_UNREACHABLE');
    expect(clients.health()[0]?.circuit).toBe('closed');
    await execute(query);
    expect(clients.health()[0]?.circuit).toBe('open');
    expect(await metrics.registry.metrics()).toMatch(
      /^graft_subgraph_circuit_state\{subgraph="products"\} 2$/m,
    );

    const callsWhenOpened = subgraph.calls();
    for (let i = 0; i < 50; i += 1) expect(codeOf(await execute(query))).toBe('CIRCUIT_OPEN');
    expect(subgraph.calls()).toBe(callsWhenOpened);

    // After openMs one probe goes through; it fails, so the circuit opens again.
    now += 5_000;
    expect(codeOf(await execute(query))).toBe('SUBGRAPH_UNREACHABLE');
    expect(subgraph.calls()).toBe(callsWhenOpened + 1);
    expect(clients.health()[0]?.circuit).toBe('open');
    expect(codeOf(await execute(query))).toBe('CIRCUIT_OPEN');

    // The subgraph recovers: the next probe succeeds and the circuit closes.
    now += 5_000;
    subgraph.setUp(true);
    expect(await execute(query)).toEqual({ data: { topProducts: [] } });
    expect(clients.health()[0]?.circuit).toBe('closed');
    expect(await execute(query)).toEqual({ data: { topProducts: [] } });
    expect(lines.map((line) => line.msg).filter((msg) => String(msg).startsWith('circuit breaker'))).toEqual([
      'circuit breaker opened: calls to "products" fail fast for 5000 ms',
      'circuit breaker half-open',
      'circuit breaker opened: calls to "products" fail fast for 5000 ms',
      'circuit breaker half-open',
      'circuit breaker closed',
    ]);
  });

  it('does not open below the minimum volume, nor on failures that have left the window', async () => {
    let now = 1_000_000;
    const subgraph = switchableSubgraph();
    subgraph.setUp(false);
    const { execute, clients } = createTestClient({
      fetch: subgraph.fetch,
      now: () => now,
      requests: { breaker: { minimumRequests: 10, windowMs: 10_000 } },
    });
    for (let i = 0; i < 9; i += 1) await execute(query);
    expect(clients.health()[0]?.circuit).toBe('closed');
    now += 11_000;
    await execute(query);
    expect(clients.health()[0]?.circuit).toBe('closed');
  });

  it('lets only halfOpenProbes calls through at once while half-open', async () => {
    let now = 1_000_000;
    let release!: () => void;
    let calls = 0;
    let failing = true;
    const fetch: SubgraphFetch = async () => {
      calls += 1;
      if (failing) throw new TypeError('fetch failed');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { status: 200, text: async () => '{"data":{"topProducts":[]}}' };
    };
    const { execute } = createTestClient({
      fetch,
      now: () => now,
      requests: { dedupeInflight: false, breaker: { minimumRequests: 2, openMs: 1_000, halfOpenProbes: 1 } },
    });
    await execute(query);
    await execute(query);
    failing = false;
    now += 1_000;
    const probe = execute(query);
    const others = await Promise.all([execute(query), execute(query)]);
    expect(others.map(codeOf)).toEqual(['CIRCUIT_OPEN', 'CIRCUIT_OPEN']);
    release();
    expect(await probe).toEqual({ data: { topProducts: [] } });
    expect(calls).toBe(3);
  });
});
