import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort, startRedisServer, uniqueKeyPrefix } from '../support/redisForTests.js';
import { startCatalogGateway, type CatalogGateway } from './support/startCatalogGateway.js';

const QUERY = '{ item(id: "1") { id } ping }';

describe('a frozen or lost Redis under the rate limiter', () => {
  const gateways: CatalogGateway[] = [];
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  afterEach(async () => {
    redis?.resume();
    for (const gateway of gateways.splice(0)) await gateway.close();
    await redis?.stop();
    redis = undefined;
  });

  it('costs one request the command timeout per probe interval; every other request answers without waiting on Redis', async () => {
    redis = await startRedisServer(await findFreePort());
    const gateway = await startCatalogGateway({
      rateLimits: {
        keyPrefix: uniqueKeyPrefix(),
        redis: { url: redis.url, failMode: 'open', commandTimeoutMs: 100, outageProbeIntervalMs: 60_000 },
        fields: { 'Query.item': { max: 1_000, window: '1h' } },
      },
    });
    gateways.push(gateway);
    expect((await gateway.post(QUERY)).status).toBe(200);
    redis.pause();
    const responses = [];
    for (let i = 0; i < 20; i += 1) responses.push(await gateway.post(QUERY));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(responses.every((response) => (response.body.data as { item: unknown }).item !== null)).toBe(true);
    // Only the first request of the freeze sent a command (and waited out its timeout); the rest skipped Redis.
    expect(await gateway.metricsText()).toMatch(/^graft_rate_limiter_errors_total\{fail_mode="open"\} 1$/m);
  });

  it('divides a limit by rateLimits.redis.instances while failing open, so two instances still admit the limit', async () => {
    const port = await findFreePort();
    redis = await startRedisServer(port);
    const rateLimits = {
      keyPrefix: uniqueKeyPrefix(),
      redis: { url: redis.url, failMode: 'open', instances: 2 },
      fields: { 'Query.item': { max: 4, window: '1h' } },
    };
    gateways.push(await startCatalogGateway({ rateLimits }), await startCatalogGateway({ rateLimits }));
    await redis.stop();
    redis = undefined;
    let admitted = 0;
    for (let i = 0; i < 10; i += 1) {
      for (const gateway of gateways) {
        const { body } = await gateway.post(QUERY);
        if ((body.data as { item: unknown }).item !== null) admitted += 1;
      }
    }
    expect(admitted).toBe(4);
  });
});
