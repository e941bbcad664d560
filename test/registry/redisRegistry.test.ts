import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWarrantyService, WARRANTY_MERGE } from '../support/createPlainService.js';
import { connectTestRedis, REDIS_URL, uniqueKeyPrefix } from '../support/redisForTests.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';

describe('the Redis registry shared by several graft instances', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectTestRedis();
  });
  afterAll(() => redis.quit());

  it('converges every instance within 2 s of a change made through one, and a later instance reads the current set', async () => {
    const keyPrefix = uniqueKeyPrefix();
    const warranty = createWarrantyService();
    const config = {
      admin: { token: TEST_ADMIN_TOKEN, allowPrivateNetworks: true },
      registry: { store: 'redis', redisUrl: REDIS_URL, keyPrefix, pollIntervalMs: 0 },
    };
    const started: TestGateway[] = [];
    try {
      const [a, b] = await Promise.all([
        startTestGateway({ config, wrapFetch: warranty.route }),
        startTestGateway({ config, wrapFetch: warranty.route }),
      ]);
      started.push(a!, b!);
      const put = await a!.admin('PUT', '/admin/subgraphs/warranty', {
        url: warranty.url,
        merge: WARRANTY_MERGE,
      });
      expect(put.status).toBe(200);
      const changedAt = Date.now();
      const target = (await a!.readiness()).schemaHash;

      // b hears of it through Redis pub/sub: no polling is configured.
      while ((await b!.readiness()).schemaHash !== target) {
        expect(Date.now() - changedAt, 'instance b did not converge within 2 s').toBeLessThan(2_000);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await b!.post('{ topProducts(first: 1) { warrantyYears } }')).body).toEqual({
        data: { topProducts: [{ warrantyYears: 2 }] },
      });
      expect((await b!.admin('GET', '/admin/subgraphs/warranty/history')).body.history).toMatchObject([
        { version: 1, action: 'put', by: 'admin-token' },
      ]);

      const c = await startTestGateway({ config, wrapFetch: warranty.route });
      started.push(c);
      expect((await c.readiness()).schemaHash).toBe(target);

      // Removal through c reaches a as well.
      expect((await c.admin('DELETE', '/admin/subgraphs/warranty?force=true')).status).toBe(200);
      const removedAt = Date.now();
      const after = (await c.readiness()).schemaHash;
      while ((await a!.readiness()).schemaHash !== after) {
        expect(Date.now() - removedAt, 'instance a did not converge within 2 s').toBeLessThan(2_000);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await Promise.all(started.map((gateway) => gateway.close()));
      const keys = await redis.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  });
});
