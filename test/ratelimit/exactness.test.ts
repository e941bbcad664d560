import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCatalogGateway, type CatalogGateway } from './support/startCatalogGateway.js';
import { connectTestRedis, REDIS_URL, uniqueKeyPrefix } from '../support/redisForTests.js';

const LIMIT = 25;
const REQUESTS = 1_000;
const QUERY = '{ item(id: "1") { id } }';

/** Fires all requests at once and counts, per gateway, those whose limited field was answered. */
async function countAllowed(gateways: readonly CatalogGateway[], requests: number): Promise<number[]> {
  const responses = await Promise.all(
    Array.from({ length: requests }, async (_, i) => ({
      gateway: i % gateways.length,
      response: await gateways[i % gateways.length]!.post(QUERY, { 'x-api-key': 'one-client' }),
    })),
  );
  for (const gateway of gateways)
    expect(await gateway.metricsText()).not.toMatch(/^graft_rate_limiter_errors_total\{.*\} [1-9]/m);
  const allowed = gateways.map(() => 0);
  for (const { gateway, response } of responses) {
    expect(response.status).toBe(200);
    if (response.body.errors === undefined) {
      expect(response.body.data).toEqual({ item: { id: '1' } });
      allowed[gateway]! += 1;
    } else {
      expect(response.body).toMatchObject({
        data: { item: null },
        errors: [{ extensions: { code: 'RATE_LIMITED' } }],
      });
    }
  }
  return allowed;
}

const sum = (counts: readonly number[]) => counts.reduce((total, count) => total + count, 0);

function rateLimits(store: 'memory' | 'redis', keyPrefix: string) {
  return {
    store,
    keyPrefix,
    // One process runs the clients and both gateways here, so its event loop lags far more than a real
    // gateway's: a generous command timeout keeps Redis deciding every request (asserted: no store errors).
    ...(store === 'redis' ? { redis: { url: REDIS_URL, commandTimeoutMs: 10_000 } } : {}),
    identity: { apiKeyHeader: 'x-api-key' },
    fields: { 'Query.item': { max: LIMIT, window: '1h' } },
  };
}

/** A thousand real HTTP requests take seconds on a loaded two-core machine; the default 30 s is too tight. */
const HEAVY_TEST_TIMEOUT_MS = 90_000;

describe('exactness under concurrency', () => {
  let redis: Redis;
  const gateways: CatalogGateway[] = [];
  beforeAll(async () => {
    redis = await connectTestRedis();
  });
  afterAll(() => redis.quit());
  const prefixes: string[] = [];
  const keyPrefix = () => {
    const prefix = uniqueKeyPrefix();
    prefixes.push(prefix);
    return prefix;
  };
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
    for (const prefix of prefixes.splice(0)) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  });

  it(
    `allows exactly ${LIMIT} of ${REQUESTS} concurrent requests from one client, in memory`,
    async () => {
      gateways.push(await startCatalogGateway({ rateLimits: rateLimits('memory', keyPrefix()) }));
      expect(await countAllowed(gateways, REQUESTS)).toEqual([LIMIT]);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it(
    `allows exactly ${LIMIT} of ${REQUESTS} concurrent requests from one client, in Redis`,
    async () => {
      const prefix = keyPrefix();
      gateways.push(await startCatalogGateway({ rateLimits: rateLimits('redis', prefix) }));
      expect(await countAllowed(gateways, REQUESTS)).toEqual([LIMIT]);
      // The bucket is in Redis, under the prefix, with every request counted and the window as its lifetime.
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys).toEqual([
        expect.stringMatching(new RegExp(`^${prefix}:field:Query\\.item:key:[0-9a-f]+$`)),
      ]);
      expect(Number(await redis.get(keys[0]!))).toBe(REQUESTS);
      expect(await redis.ttl(keys[0]!)).toBeGreaterThan(3_500);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it(
    `shares one limit between two graft instances on one Redis: exactly ${LIMIT} allowed in total`,
    async () => {
      const prefix = keyPrefix();
      gateways.push(await startCatalogGateway({ rateLimits: rateLimits('redis', prefix) }));
      gateways.push(await startCatalogGateway({ rateLimits: rateLimits('redis', prefix) }));
      const allowed = await countAllowed(gateways, 400);
      expect(sum(allowed)).toBe(LIMIT);
      // Both instances allowed some: the limit really was shared, not enforced by one of them.
      expect(Math.min(...allowed)).toBeGreaterThan(0);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it('keeps instances with different key prefixes apart', async () => {
    gateways.push(await startCatalogGateway({ rateLimits: rateLimits('redis', keyPrefix()) }));
    gateways.push(await startCatalogGateway({ rateLimits: rateLimits('redis', keyPrefix()) }));
    expect(await countAllowed(gateways, 100)).toEqual([LIMIT, LIMIT]);
  });
});
