import { OperationTypeNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../src/gateway/GatewayContext.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { resolveTraceContext } from '../../src/observability/resolveTraceContext.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createGate } from '../support/createGate.js';
import { createTestClient } from './support/createTestClient.js';

function context(requestId: string, traceparent: string): GatewayContext {
  return {
    requestId,
    forwardedHeaders: { 'x-user-id': 'alice' },
    logger: createLogger('silent'),
    requestHeaders: {},
    peerAddress: '127.0.0.1',
    traceContext: resolveTraceContext({ traceparent }),
  };
}

describe('trace context on subgraph requests', () => {
  it('keeps traceparent out of the dedupe key: identical queries of two traces in flight are sent once', async () => {
    const gate = createGate();
    const calls: Array<Record<string, string>> = [];
    const fetch: SubgraphFetch = async (_url, init) => {
      calls.push(init.headers);
      await gate.wait;
      return { status: 200, text: async () => '{"data":{"ping":"pong"}}' };
    };
    const execute = createTestClient({
      fetch,
      subgraph: { name: 'a', url: 'http://a.test/graphql' },
      requests: { dedupeInflight: true },
    }).execute;
    const document = parse('{ ping }');
    const pending = [
      execute({
        document,
        operationType: OperationTypeNode.QUERY,
        context: context('r1', `00-${'a'.repeat(32)}-${'1'.repeat(16)}-01`),
      }),
      execute({
        document,
        operationType: OperationTypeNode.QUERY,
        context: context('r2', `00-${'b'.repeat(32)}-${'2'.repeat(16)}-01`),
      }),
    ];
    gate.open();
    const results = await Promise.all(pending);
    expect(results).toEqual([{ data: { ping: 'pong' } }, { data: { ping: 'pong' } }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.traceparent).toMatch(new RegExp(`^00-${'a'.repeat(32)}-[0-9a-f]{16}-01$`));
    expect(calls[0]?.['x-user-id']).toBe('alice');
  });

  it('starts a trace for a request made outside any client request', async () => {
    const calls: Array<Record<string, string>> = [];
    const fetch: SubgraphFetch = async (_url, init) => {
      calls.push(init.headers);
      return { status: 200, text: async () => '{"data":{"ping":"pong"}}' };
    };
    const execute = createTestClient({
      fetch,
      subgraph: { name: 'a', url: 'http://a.test/graphql' },
      requests: { dedupeInflight: false },
    }).execute;
    await execute({ document: parse('{ ping }'), operationType: OperationTypeNode.QUERY });
    expect(calls[0]?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
