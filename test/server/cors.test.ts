import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const ALLOWED = 'https://app.example.com';

describe('CORS', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      config: {
        server: {
          host: '127.0.0.1',
          port: 0,
          cors: {
            origins: [ALLOWED, 'https://*.preview.example.com', 'http://localhost:*'],
            credentials: true,
            maxAgeSec: 120,
          },
        },
      },
    });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.mocks.resetRequests());

  const preflight = (origin: string) =>
    fetch(gateway.graft.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });

  it('answers a preflight from an allowed origin itself, without reaching GraphQL or a subgraph', async () => {
    const response = await preflight(ALLOWED);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type.*authorization/);
    expect(response.headers.get('access-control-max-age')).toBe('120');
    expect(response.headers.get('vary')).toMatch(/origin/i);
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('matches origin patterns: any subdomain label, any port, and nothing that merely ends alike', async () => {
    expect((await preflight('https://pr-42.preview.example.com')).status).toBe(204);
    expect((await preflight('http://localhost:5173')).status).toBe(204);
    expect((await preflight('https://preview.example.com.evil.test')).status).toBe(403);
    expect((await preflight('http://app.example.com')).status).toBe(403);
  });

  it('refuses a preflight from an origin not listed with 403 ORIGIN_NOT_ALLOWED and no CORS headers', async () => {
    const response = await preflight('https://evil.test');

    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('marks an allowed simple request readable, and exposes the request id header', async () => {
    const response = await gateway.post('{ carriers }', undefined, { origin: ALLOWED });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
  });

  it('gives a disallowed origin no CORS headers, so the browser keeps the answer from the page', async () => {
    const response = await gateway.post('{ carriers }', undefined, { origin: 'https://evil.test' });

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps CSRF prevention for simple requests: a text/plain POST or a plain GET from an allowed origin is refused', async () => {
    const post = await fetch(gateway.graft.url, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'text/plain' },
      body: '{"query":"{ carriers }"}',
    });
    expect(post.status).toBe(400);
    const get = await fetch(`${gateway.graft.url}?query=${encodeURIComponent('{ carriers }')}`, {
      headers: { origin: ALLOWED },
    });
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/i);
    expect(gateway.subgraphRequestCount()).toBe(0);
  });
});

describe('CORS off (the default)', () => {
  it('refuses every cross-origin preflight and adds no CORS headers', async () => {
    const gateway = await startTestGateway();
    try {
      const response = await fetch(gateway.graft.url, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const simple = await gateway.post('{ carriers }', undefined, { origin: 'https://app.example.com' });
      expect(simple.status).toBe(200);
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await gateway.close();
    }
  });

  it('rejects a wildcard origin together with credentials at start-up', async () => {
    await expect(
      startTestGateway({
        config: { server: { host: '127.0.0.1', port: 0, cors: { origins: ['*'], credentials: true } } },
      }),
    ).rejects.toThrow(/server\.cors\.origins: cannot be "\*" with `credentials: true`/);
  });
});
