import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServices, MOCK_SERVICE_NAMES, type MockServiceName } from '../../services-mock/index.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { collectResponseHeaders } from '../../src/subgraphs/collectResponseHeaders.js';
import { mergeCacheControl } from '../../src/subgraphs/mergeCacheControl.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { holdSubgraphRequests } from '../support/holdSubgraphRequests.js';
import { describePathsTaken, readExecutionPaths } from '../support/readExecutionPaths.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

/** What each mock subgraph adds to its HTTP answers. */
const ANSWER_HEADERS: Partial<Record<MockServiceName, Array<[string, string]>>> = {
  products: [
    ['cache-control', 'public, max-age=60'],
    ['set-cookie', 'a=1; Path=/'],
    ['x-served-by', 'products-1'],
    ['x-reviews-only', 'from products'],
    ['x-secret', 'not allow-listed'],
    ['connection', 'x-hop'],
    ['x-hop', 'named by Connection'],
    ['content-encoding', 'gzip'],
  ],
  reviews: [
    ['cache-control', 'private, max-age=30'],
    ['set-cookie', 'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT'],
    ['x-served-by', 'reviews-1'],
    ['x-reviews-only', 'from reviews'],
  ],
  // inventory answers without any of them.
};

function addAnswerHeaders(urls: Record<MockServiceName, string>) {
  return (fetch: SubgraphFetch): SubgraphFetch =>
    async (url, init) => {
      const response = await fetch(url, init);
      const name = MOCK_SERVICE_NAMES.find((service) => urls[service] === url);
      const headers = new Headers();
      for (const [header, value] of (name && ANSWER_HEADERS[name]) ?? []) headers.append(header, value);
      return { status: response.status, text: () => response.text(), headers };
    };
}

describe.each([
  { path: 'plan', queryPlan: true },
  { path: 'stitching', queryPlan: false },
])('subgraph response headers passed back by allow-list ($path path)', ({ path, queryPlan }) => {
  let gateway: TestGateway;
  // `first: 3` inline (plan) or as a variable (stitching).
  const held = holdSubgraphRequests(/first"?\s*:\s*3\b/);

  beforeAll(async () => {
    const mocks = createMockServices();
    gateway = await startTestGateway({
      mockServices: mocks,
      config: {
        execution: { queryPlan },
        headers: { response: ['Cache-Control', 'set-cookie', 'x-served-by', 'x-hop'] },
        subgraphs: MOCK_SERVICE_NAMES.map((name) => ({
          name,
          url: mocks.urls[name],
          ...(name === 'reviews' ? { responseHeaders: ['x-reviews-only'] } : {}),
        })),
      },
      wrapFetch: (fetch) => addAnswerHeaders(mocks.urls)(held.wrap(fetch)),
    });
  });
  afterAll(async () => {
    held.release();
    await gateway.close();
  });

  it('passes allow-listed headers of two subgraphs back, merged, and nothing else', async () => {
    const before = await readExecutionPaths(gateway.graft);
    const response = await gateway.post('{ topProducts(first: 1) { name reviews { body } } }', undefined, {
      'accept-encoding': 'identity',
    });
    expect(describePathsTaken(before, await readExecutionPaths(gateway.graft))).toBe(path);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    // The most restrictive of "public, max-age=60" and "private, max-age=30".
    expect(response.headers.get('cache-control')).toBe('private, max-age=30');
    expect(response.headers.getSetCookie()).toEqual([
      'a=1; Path=/',
      'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
    ]);
    // Distinct values joined, ordered by subgraph name.
    expect(response.headers.get('x-served-by')).toBe('products-1, reviews-1');
    // Allow-listed for reviews only.
    expect(response.headers.get('x-reviews-only')).toBe('from reviews');
    expect(response.headers.get('x-secret')).toBeNull();
    // Allow-listed, but the answer's Connection header made it hop-by-hop.
    expect(response.headers.get('x-hop')).toBeNull();
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('connection')).not.toBe('x-hop');
  });

  it('answers no-store when an allow-listing subgraph sent no Cache-Control for its part', async () => {
    const response = await gateway.post('{ topProducts(first: 1) { name inStock } }');
    expect(response.body.errors).toBeUndefined();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/']);
  });

  it('never shares one subgraph call between requests when it passes Set-Cookie back', async () => {
    // Two identical queries in flight at once: shared, only one would reach the transport and this would hang.
    const query = '{ topProducts(first: 3) { name } }';
    const answers = Promise.all([gateway.post(query), gateway.post(query)]);
    await held.arrivedCount(2);
    held.release();
    const [first, second] = await answers;
    expect(first.headers.getSetCookie()).toEqual(['a=1; Path=/']);
    expect(second.headers.getSetCookie()).toEqual(['a=1; Path=/']);
  });
});

describe('response header allow-lists in the config', () => {
  it.each(['transfer-encoding', 'Connection', 'content-length', 'content-encoding', 'x-request-id'])(
    'refuses %s, which is never passed back',
    (name) => {
      expect(() =>
        parseConfig(
          { subgraphs: [{ name: 'a', url: 'http://a.test/graphql' }], headers: { response: [name] } },
          'graft.yaml',
          {},
        ),
      ).toThrow(/headers\.response\[0\].*never passed back/);
      expect(() =>
        parseConfig(
          { subgraphs: [{ name: 'a', url: 'http://a.test/graphql', responseHeaders: [name] }] },
          'graft.yaml',
          {},
        ),
      ).toThrow(/subgraphs\[0\]\.responseHeaders\[0\]/);
    },
  );
});

describe('merging one header from several answers', () => {
  it('keeps the most restrictive Cache-Control', () => {
    expect(mergeCacheControl(['public, max-age=60', 'public, max-age=600, s-maxage=900'])).toBe(
      'public, max-age=60, s-maxage=60',
    );
    expect(mergeCacheControl(['public, max-age=60', 'no-store'])).toBe('no-store');
    expect(mergeCacheControl(['public, max-age=60', undefined])).toBe('no-store');
    expect(mergeCacheControl(['max-age=60, must-revalidate', 'private, no-cache'])).toBe(
      'private, no-cache, must-revalidate, max-age=0',
    );
  });

  it('orders values by subgraph name whatever order the answers arrived in', () => {
    const first = collectResponseHeaders();
    first.add('b', ['x-v'], [['x-v', '2']]);
    first.add('a', ['x-v'], [['x-v', '1']]);
    const second = collectResponseHeaders();
    second.add('a', ['x-v'], [['x-v', '1']]);
    second.add('b', ['x-v'], [['x-v', '2']]);
    expect(first.merged()).toEqual([['x-v', '1, 2']]);
    expect(second.merged()).toEqual(first.merged());
  });
});
