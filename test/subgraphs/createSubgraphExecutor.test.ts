import type { ExecutionRequest } from '@graphql-tools/utils';
import { OperationTypeNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../src/gateway/GatewayContext.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { createMetrics } from '../../src/observability/createMetrics.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createGate } from '../support/createGate.js';
import { createTestClient } from './support/createTestClient.js';

const endpoint = {
  name: 'products',
  url: 'http://products.test/graphql',
  headers: { 'x-static': 'yes' },
  timeoutMs: 1_000,
};

function context(requestId: string, forwardedHeaders: Record<string, string> = {}): GatewayContext {
  return {
    requestId,
    forwardedHeaders,
    logger: createLogger('silent'),
    requestHeaders: {},
    peerAddress: '127.0.0.1',
  };
}

function request(ctx: GatewayContext, operationType = OperationTypeNode.QUERY): ExecutionRequest {
  return { document: parse(`${operationType} { topProducts { upc } }`), operationType, context: ctx };
}

/** A subgraph that records calls and answers only when the test opens the gate. */
function heldSubgraph(status = 200, body = '{"data":{"topProducts":[{"upc":"1"}]}}') {
  const gate = createGate();
  const calls: Array<{ headers: Record<string, string>; body: string }> = [];
  const fetch: SubgraphFetch = async (_url, init) => {
    calls.push({ headers: init.headers, body: init.body });
    await gate.wait;
    return { status, text: async () => body };
  };
  return { fetch, calls, release: gate.open };
}

describe('subgraph executor', () => {
  it('sends identical queries in flight at the same moment once, and gives each caller its own result object', async () => {
    const subgraph = heldSubgraph();
    const execute = createTestClient({
      fetch: subgraph.fetch,
      metrics: createMetrics(),
      subgraph: endpoint,
      requests: { dedupeInflight: true },
    }).execute;
    const pending = Array.from({ length: 20 }, (_, i) => execute(request(context(`r${i}`))));
    subgraph.release();
    const results = await Promise.all(pending);
    expect(subgraph.calls).toHaveLength(1);
    expect(results[0]).toEqual({ data: { topProducts: [{ upc: '1' }] } });
    expect(results[1]).toEqual(results[0]);
    expect(results[1]).not.toBe(results[0]);
  });

  it('does not share a request between callers whose forwarded headers differ', async () => {
    const subgraph = heldSubgraph();
    const execute = createTestClient({
      fetch: subgraph.fetch,
      metrics: createMetrics(),
      subgraph: endpoint,
      requests: { dedupeInflight: true },
    }).execute;
    const pending = [
      execute(request(context('a', { 'x-user-id': 'alice' }))),
      execute(request(context('b', { 'x-user-id': 'bob' }))),
      execute(request(context('c', { 'x-user-id': 'alice' }))),
    ];
    subgraph.release();
    await Promise.all(pending);
    expect(subgraph.calls.map((call) => call.headers['x-user-id'])).toEqual(['alice', 'bob']);
  });

  it('never dedupes mutations, nor anything when dedupe is off, and starts anew once a request settles', async () => {
    const subgraph = heldSubgraph();
    const deduping = createTestClient({
      fetch: subgraph.fetch,
      metrics: createMetrics(),
      subgraph: endpoint,
      requests: { dedupeInflight: true },
    }).execute;
    const off = createTestClient({
      fetch: subgraph.fetch,
      metrics: createMetrics(),
      subgraph: endpoint,
      requests: { dedupeInflight: false },
    }).execute;
    const pending = [
      deduping(request(context('m1'), OperationTypeNode.MUTATION)),
      deduping(request(context('m2'), OperationTypeNode.MUTATION)),
      off(request(context('q1'))),
      off(request(context('q2'))),
    ];
    subgraph.release();
    await Promise.all(pending);
    expect(subgraph.calls).toHaveLength(4);
    await deduping(request(context('later')));
    expect(subgraph.calls).toHaveLength(5);
  });

  it('sends static headers, forwarded headers and the request id', async () => {
    const subgraph = heldSubgraph();
    subgraph.release();
    const execute = createTestClient({
      fetch: subgraph.fetch,
      metrics: createMetrics(),
      subgraph: endpoint,
      requests: { dedupeInflight: true },
    }).execute;
    await execute(request(context('req-7', { 'x-tenant': 't1' })));
    expect(subgraph.calls[0]?.headers).toMatchObject({
      'x-static': 'yes',
      'x-tenant': 't1',
      'x-request-id': 'req-7',
      'content-type': 'application/json',
    });
    expect(JSON.parse(subgraph.calls[0]?.body ?? '')).toEqual({
      query: '{\n  topProducts {\n    upc\n  }\n}',
    });
  });

  it('turns transport failures into GraphQL errors with stable codes', async () => {
    const metrics = createMetrics();
    const cases: Array<[SubgraphFetch, string]> = [
      [
        async () => {
          throw new TypeError('fetch failed');
        },
        'SUBGRAPH_UNREACHABLE',
      ],
      [
        async () => {
          throw new DOMException('timed out', 'TimeoutError');
        },
        'SUBGRAPH_TIMEOUT',
      ],
      [async () => ({ status: 502, text: async () => '<html>bad gateway</html>' }), 'SUBGRAPH_HTTP_ERROR'],
      [async () => ({ status: 200, text: async () => '[1,2,3]' }), 'SUBGRAPH_BAD_RESPONSE'],
    ];
    for (const [fetch, code] of cases) {
      const execute = createTestClient({ fetch, metrics, subgraph: endpoint }).execute;
      const result = (await execute(request(context('x')))) as unknown as {
        errors: Array<{ message: string; extensions: unknown }>;
      };
      expect(result.errors[0]?.extensions).toEqual({ code, serviceName: 'products' });
      expect(result.errors[0]?.message).toContain('"products"');
    }
    const text = await metrics.registry.metrics();
    for (const outcome of ['unreachable', 'timeout', 'http_error']) {
      expect(text).toContain(`graft_subgraph_requests_total{subgraph="products",outcome="${outcome}"} 1`);
    }
  });

  it('keeps a GraphQL error body sent with a 5xx status, adding the subgraph name and a code', async () => {
    const fetch: SubgraphFetch = async () => ({
      status: 500,
      text: async () => '{"data":null,"errors":[{"message":"db down"}]}',
    });
    const { execute } = createTestClient({ fetch, subgraph: endpoint });
    expect(await execute(request(context('x')))).toEqual({
      data: null,
      errors: [
        { message: 'db down', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'products' } },
      ],
    });
  });
});
