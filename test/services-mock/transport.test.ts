import { describe, expect, it } from 'vitest';
import {
  createMockServices,
  INJECTED_FAILURE_CODE,
  MOCK_SERVICE_NAMES,
  startMockServers,
  type MockOptions,
} from '../../services-mock/index.js';
import { postGraphql } from './postGraphql.js';

describe('createMockServices (in-process fetch)', () => {
  it('records each request with its query, variables and lower-cased headers', async () => {
    const mocks = createMockServices();
    const { body } = await postGraphql(
      mocks.fetch,
      mocks.urls.accounts,
      'query ($id: ID!) { user(id: $id) { name } }',
      { id: '2' },
      { Authorization: 'Bearer t0ken', 'X-Request-Id': 'req-1' },
    );
    expect(body).toEqual({ data: { user: { name: 'Dotan Simha' } } });
    expect(mocks.requests.accounts).toEqual([
      {
        query: 'query ($id: ID!) { user(id: $id) { name } }',
        variables: { id: '2' },
        headers: expect.objectContaining({ authorization: 'Bearer t0ken', 'x-request-id': 'req-1' }),
      },
    ]);
    expect(mocks.requests.products).toEqual([]);
    mocks.resetRequests();
    expect(mocks.requests.accounts).toEqual([]);
  });

  it('answers GET requests with the query in the URL', async () => {
    const mocks = createMockServices();
    const url = `${mocks.urls.products}?query=${encodeURIComponent('query ($n: Int) { topProducts(first: $n) { upc } }')}&variables=${encodeURIComponent('{"n":1}')}`;
    const response = await mocks.fetch(url);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { topProducts: [{ upc: '1' }] } });
    expect(mocks.requests.products).toHaveLength(1);
  });

  it('rejects URLs that are not a running mock service, like an unreachable host', async () => {
    const mocks = createMockServices({ only: ['accounts'] });
    expect(Object.keys(mocks.urls)).toEqual(['accounts']);
    await expect(mocks.fetch('http://products.mock/graphql', { method: 'POST', body: '{}' })).rejects.toThrow(
      /not running/,
    );
    await expect(mocks.fetch('http://example.com/graphql')).rejects.toThrow(/not a mock service/);
  });

  it('answers 400 to a body that is not a GraphQL request, without recording it', async () => {
    const mocks = createMockServices();
    const response = await mocks.fetch(mocks.urls.reviews, { method: 'POST', body: 'not json' });
    expect(response.status).toBe(400);
    expect(mocks.requests.reviews).toEqual([]);
  });

  it('rejects with the abort reason when the signal fires during the latency', async () => {
    const mocks = createMockServices({ latencyMs: 60_000 });
    const controller = new AbortController();
    const pending = mocks.fetch(mocks.urls.accounts, {
      method: 'POST',
      body: JSON.stringify({ query: '{ me { id } }' }),
      signal: controller.signal,
    });
    controller.abort(new DOMException('gave up', 'TimeoutError'));
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(mocks.requests.accounts).toHaveLength(1);
  });
});

describe('startMockServers (real sockets)', () => {
  it('serves every service on its own ephemeral port until closed', async () => {
    const servers = await startMockServers({ ports: 'ephemeral' });
    try {
      expect(Object.keys(servers.urls)).toEqual([...MOCK_SERVICE_NAMES]);
      const ports = new Set(Object.values(servers.urls).map((url) => new URL(url).port));
      expect(ports.size).toBe(MOCK_SERVICE_NAMES.length);

      const { status, body } = await postGraphql(
        fetch,
        servers.urls.accounts,
        '{ me { username } }',
        undefined,
        {
          'x-tenant': 'acme',
        },
      );
      expect(status).toBe(200);
      expect(body).toEqual({ data: { me: { username: 'urigo' } } });
      expect(servers.requests.accounts[0]?.headers['x-tenant']).toBe('acme');
      expect((await postGraphql(fetch, servers.urls.shipping, '{ carriers }')).body.data?.carriers).toEqual([
        'Postal',
        'Courier',
        'Freight',
      ]);
    } finally {
      await servers.close();
    }
    await expect(fetch(servers.urls.accounts, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});

const QUERY = '{ users { id } }';

async function statusesOf(options: MockOptions, count: number): Promise<number[]> {
  const mocks = createMockServices({ ...options, only: ['accounts'] });
  const statuses: number[] = [];
  for (let index = 0; index < count; index += 1) {
    statuses.push((await postGraphql(mocks.fetch, mocks.urls.accounts, QUERY)).status);
  }
  return statuses;
}

describe('failure injection', () => {
  it('fails every request with HTTP 500 and a coded GraphQL error at failureRate 1', async () => {
    const mocks = createMockServices({ failureRate: 1, only: ['accounts'] });
    for (let index = 0; index < 20; index += 1) {
      const { status, body } = await postGraphql(mocks.fetch, mocks.urls.accounts, QUERY);
      expect(status).toBe(500);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.code).toBe(INJECTED_FAILURE_CODE);
    }
  });

  it('fails no request at failureRate 0', async () => {
    expect(await statusesOf({ failureRate: 0 }, 50)).toEqual(Array.from({ length: 50 }, () => 200));
  });

  it('fails the same requests for the same seed, and other ones for another seed', async () => {
    const first = await statusesOf({ failureRate: 0.5, seed: 42 }, 40);
    const again = await statusesOf({ failureRate: 0.5, seed: 42 }, 40);
    const other = await statusesOf({ failureRate: 0.5, seed: 43 }, 40);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it('setFailureRate changes one running service and leaves the others alone', async () => {
    const mocks = createMockServices({ only: ['accounts', 'products'] });
    mocks.setFailureRate('products', 1);
    expect((await postGraphql(mocks.fetch, mocks.urls.products, '{ topProducts { upc } }')).status).toBe(500);
    expect((await postGraphql(mocks.fetch, mocks.urls.accounts, QUERY)).status).toBe(200);
    mocks.setFailureRate('products', 0);
    expect((await postGraphql(mocks.fetch, mocks.urls.products, '{ topProducts { upc } }')).status).toBe(200);
  });

  it('rejects a failure rate outside 0..1 when the services are created', () => {
    expect(() => createMockServices({ failureRate: 1.5, only: ['accounts'] })).toThrow(
      /failureRate must be between 0 and 1, received 1.5/,
    );
  });
});
