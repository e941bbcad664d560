import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mintHmacToken, TEST_HMAC_AUTH } from '../support/mintTokens.js';
import { postWithRawHeaders } from '../support/postWithRawHeaders.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
/** Reaches accounts, reviews and products. */
const WIDE_QUERY = '{ users { id reviews { id product { name } } } }';

describe('what subgraphs receive', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      config: {
        auth: TEST_HMAC_AUTH,
        headers: {
          propagate: [
            'x-tenant',
            'x-user-id',
            'x-request-id',
            'traceparent',
            'connection',
            'keep-alive',
            'te',
            'x-scoped',
          ],
        },
        subgraphs: ['accounts', 'products', 'inventory', 'reviews', 'shipping'].map((name) => ({
          name,
          url: `http://${name}.mock/graphql`,
          ...(name === 'accounts' ? { propagate: ['x-accounts-only', 'x-user-scopes'] } : {}),
        })),
      },
    });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.mocks.resetRequests());

  const allRequests = () => [
    ...gateway.mocks.requests.accounts,
    ...gateway.mocks.requests.products,
    ...gateway.mocks.requests.reviews,
    ...gateway.mocks.requests.inventory,
    ...gateway.mocks.requests.shipping,
  ];

  it('sends the verified claims as headers, and never the raw token', async () => {
    const token = await mintHmacToken('2', { scope: 'users:read-private orders:read' });
    const response = await gateway.post('{ me { id } }', undefined, { authorization: `Bearer ${token}` });
    expect(response.body).toEqual({ data: { me: { id: '2' } } });
    const [request] = gateway.mocks.requests.accounts;
    expect(request?.headers['x-user-id']).toBe('2');
    expect(request?.headers['x-user-scopes']).toBe('users:read-private orders:read');
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(allRequests())).not.toContain(token.split('.')[2]);
  });

  it('never lets a client set a claim header itself, even when it is on the allow-list', async () => {
    await gateway.post('{ users { id } }', undefined, { 'x-user-id': '1', 'x-user-scopes': 'admin' });
    expect(gateway.mocks.requests.accounts[0]?.headers['x-user-id']).toBeUndefined();
    expect(gateway.mocks.requests.accounts[0]?.headers['x-user-scopes']).toBeUndefined();

    gateway.mocks.resetRequests();
    const token = await mintHmacToken('2');
    const response = await gateway.post('{ me { id } }', undefined, {
      authorization: `Bearer ${token}`,
      'x-user-id': '1',
    });
    expect(response.body).toEqual({ data: { me: { id: '2' } } });
    expect(gateway.mocks.requests.accounts[0]?.headers['x-user-id']).toBe('2');
  });

  it('passes client headers by allow-list only: global, or for one subgraph', async () => {
    await gateway.post(WIDE_QUERY, undefined, {
      'x-tenant': 'acme',
      'x-accounts-only': 'yes',
      'x-other': 'no',
    });
    const requests = allRequests();
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const request of requests) {
      expect(request.headers['x-tenant']).toBe('acme');
      expect(request.headers['x-other']).toBeUndefined();
    }
    expect(gateway.mocks.requests.accounts[0]?.headers['x-accounts-only']).toBe('yes');
    for (const request of [...gateway.mocks.requests.reviews, ...gateway.mocks.requests.products])
      expect(request.headers['x-accounts-only']).toBeUndefined();
  });

  it('never passes hop-by-hop headers, nor one the client’s Connection header names, allow-listed or not', async () => {
    await postWithRawHeaders(gateway.graft.url, '{ users { id } }', [
      ['connection', 'keep-alive, x-scoped'],
      ['keep-alive', 'timeout=5'],
      ['te', 'trailers'],
      ['x-scoped', 'hop'],
      ['x-tenant', 'acme'],
    ]);
    const [request] = gateway.mocks.requests.accounts;
    expect(request?.headers['x-tenant']).toBe('acme');
    expect(request?.headers['x-scoped']).toBeUndefined();
    expect(request?.headers['keep-alive']).toBeUndefined();
    expect(request?.headers.te).toBeUndefined();
    // The in-process transport sets no Connection header of its own; the client's never passes.
    expect(request?.headers.connection).toBeUndefined();
  });

  it('gives every subgraph request the request id and a traceparent of one new trace, each with its own span id', async () => {
    const response = await gateway.post(WIDE_QUERY, undefined, { 'x-request-id': 'req-42' });
    expect(response.headers.get('x-request-id')).toBe('req-42');
    const requests = allRequests();
    expect(requests.length).toBeGreaterThanOrEqual(3);
    const traces = requests.map((request) => {
      expect(request.headers['x-request-id']).toBe('req-42');
      const match = TRACEPARENT.exec(request.headers.traceparent ?? '');
      expect(match, request.headers.traceparent).not.toBeNull();
      return { traceId: match![1], spanId: match![2] };
    });
    expect(new Set(traces.map((trace) => trace.traceId)).size).toBe(1);
    expect(new Set(traces.map((trace) => trace.spanId)).size).toBe(requests.length);
  });

  it('continues a caller’s valid traceparent with new span ids and passes its tracestate on', async () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await gateway.post(WIDE_QUERY, undefined, { traceparent: incoming, tracestate: 'vendor=abc' });
    for (const request of allRequests()) {
      const [, traceId, spanId, flags] = TRACEPARENT.exec(request.headers.traceparent ?? '') ?? [];
      expect(traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(spanId).not.toBe('00f067aa0ba902b7');
      expect(flags).toBe('01');
      expect(request.headers.tracestate).toBe('vendor=abc');
    }
  });

  it('starts a new trace, dropping tracestate, when the caller’s traceparent is invalid', async () => {
    for (const invalid of [
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      'not a traceparent',
    ]) {
      gateway.mocks.resetRequests();
      await gateway.post('{ users { id } }', undefined, { traceparent: invalid, tracestate: 'vendor=abc' });
      const [request] = gateway.mocks.requests.accounts;
      expect(request?.headers.traceparent).toMatch(TRACEPARENT);
      expect(request?.headers.traceparent).not.toContain('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(request?.headers.tracestate, invalid).toBeUndefined();
    }
  });
});

describe('forwarding the Authorization header', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      services: ['accounts'],
      config: { auth: TEST_HMAC_AUTH, headers: { propagate: ['authorization'] } },
    });
  });
  afterAll(() => gateway.close());

  it('passes the verified token on only when the config allow-lists `authorization`', async () => {
    const token = await mintHmacToken('3');
    await gateway.post('{ me { id } }', undefined, { authorization: `Bearer ${token}` });
    expect(gateway.mocks.requests.accounts[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });
});
