import { afterEach, describe, expect, it } from 'vitest';
import { startCatalogGateway, type CatalogGateway } from './support/startCatalogGateway.js';

describe('per-client operation limit', () => {
  let gateway: CatalogGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('puts RateLimit headers on allowed responses, then answers 429 with Retry-After and a RATE_LIMITED error without calling any subgraph', async () => {
    gateway = await startCatalogGateway({ rateLimits: { operations: { max: 2, window: '1m' } } });
    const first = await gateway.post('{ ping }');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    const resetSec = Number(first.headers.get('ratelimit-reset'));
    expect(resetSec).toBeGreaterThan(0);
    expect(resetSec).toBeLessThanOrEqual(60);
    expect(first.headers.get('retry-after')).toBeNull();
    expect((await gateway.post('{ ping }')).headers.get('ratelimit-remaining')).toBe('0');
    expect(gateway.queries).toHaveLength(2);

    const refused = await gateway.post('{ ping }');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/json');
    expect(refused.headers.get('ratelimit-limit')).toBe('2');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    const retryAfterSec = Number(refused.headers.get('retry-after'));
    expect(retryAfterSec).toBeGreaterThan(0);
    expect(retryAfterSec).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-reset')).toBe(String(retryAfterSec));
    expect(refused.body).toEqual({
      errors: [
        {
          message: expect.stringContaining('Too many requests'),
          extensions: { code: 'RATE_LIMITED', limit: 2, remaining: 0, retryAfterMs: expect.any(Number) },
        },
      ],
    });
    expect(gateway.queries).toHaveLength(2);
  });

  it('starts a new window once the old one has passed', async () => {
    gateway = await startCatalogGateway({ rateLimits: { operations: { max: 1, window: '1s' } } });
    expect((await gateway.post('{ ping }')).status).toBe(200);
    const refused = await gateway.post('{ ping }');
    expect(refused.status).toBe(429);
    // Wait exactly as long as graft told the client to (the limiter's own msBeforeNext), not a guess.
    const retryAfterMs = refused.body.errors![0]!.extensions!.retryAfterMs as number;
    expect(retryAfterMs).toBeLessThanOrEqual(1_000);
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs + 20));
    const again = await gateway.post('{ ping }');
    expect(again.status).toBe(200);
    expect(again.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('believes X-Forwarded-For only from a trusted proxy, and then only the hop the proxy added', async () => {
    gateway = await startCatalogGateway({ rateLimits: { operations: { max: 1, window: '1h' } } });
    // The peer (127.0.0.1) is not a trusted proxy here: the header is the client's own claim and is ignored.
    expect((await gateway.post('{ ping }', { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await gateway.post('{ ping }', { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);
    await gateway.close();

    gateway = await startCatalogGateway({
      rateLimits: { operations: { max: 1, window: '1h' }, identity: { trustedProxies: ['127.0.0.0/8'] } },
    });
    expect((await gateway.post('{ ping }', { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await gateway.post('{ ping }', { 'x-forwarded-for': '203.0.113.2' })).status).toBe(200);
    expect((await gateway.post('{ ping }', { 'x-forwarded-for': '203.0.113.1' })).status).toBe(429);
    // A client cannot pick a fresh address by writing one in front of what the proxy appended.
    expect((await gateway.post('{ ping }', { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' })).status).toBe(
      429,
    );
  });

  it('keys by the API key header when one is configured, hashing the key', async () => {
    gateway = await startCatalogGateway({
      rateLimits: { operations: { max: 1, window: '1h' }, identity: { apiKeyHeader: 'X-Api-Key' } },
    });
    expect((await gateway.post('{ ping }', { 'x-api-key': 'one' })).status).toBe(200);
    expect((await gateway.post('{ ping }', { 'x-api-key': 'two' })).status).toBe(200);
    expect((await gateway.post('{ ping }', { 'x-api-key': 'one' })).status).toBe(429);
    // Without a key the client is its address, a bucket of its own.
    expect((await gateway.post('{ ping }')).status).toBe(200);
  });

  it('limits requests to a subgraph per client when rateLimits.subgraphs names it, without sending the refused ones', async () => {
    gateway = await startCatalogGateway({ rateLimits: { subgraphs: { catalog: { max: 2, window: '1h' } } } });
    expect((await gateway.post('{ ping }')).body).toEqual({ data: { ping: 'pong' } });
    expect((await gateway.post('{ item(id: "1") { id } }')).body).toEqual({ data: { item: { id: '1' } } });
    const refused = await gateway.post('{ ping }');
    expect(refused.status).toBe(200);
    expect(refused.body.data).toEqual({ ping: null });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 2,
      remaining: 0,
    });
    expect(gateway.queries).toHaveLength(2);
  });
});
