import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_URL, connectTestRedis, uniqueKeyPrefix } from '../support/redisForTests.js';
import { runGraftCli } from '../support/runGraftCli.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';
import { writeTempFile } from '../support/writeTempFile.js';

describe('field usage in Redis', () => {
  const gateways: TestGateway[] = [];
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  });

  it('sums the counts of two instances sharing one Redis', async () => {
    const redis = await connectTestRedis();
    const keyPrefix = uniqueKeyPrefix();
    const config = {
      admin: { token: TEST_ADMIN_TOKEN },
      usage: { store: 'redis', redisUrl: REDIS_URL, keyPrefix },
    };
    const [first, second] = [await startTestGateway({ config }), await startTestGateway({ config })];
    gateways.push(first!, second!);
    for (let i = 0; i < 3; i += 1)
      await first!.post('{ topProducts(first: 1) { name } }', undefined, { 'graphql-client-name': 'web' });
    for (let i = 0; i < 4; i += 1)
      await second!.post('{ topProducts(first: 1) { name price } }', undefined, {
        'graphql-client-name': 'web',
      });
    await second!.post('{ topProducts(first: 1) { price } }', undefined, { 'graphql-client-name': 'ios' });
    // Closing flushes what the second instance still holds; the first flushes its own before it reads.
    await second!.close();

    const report = await first!.admin('GET', '/admin/usage?limit=50');
    const byCoordinate = new Map(
      (report.body.leastUsed as Array<{ coordinate: string; requests: number; clients: unknown }>).map(
        (entry) => [entry.coordinate, entry],
      ),
    );
    expect(byCoordinate.get('Query.topProducts')).toEqual({
      coordinate: 'Query.topProducts',
      requests: 8,
      clients: [
        { client: 'web', requests: 7 },
        { client: 'ios', requests: 1 },
      ],
    });
    expect(byCoordinate.get('Product.name')?.requests).toBe(7);
    expect(byCoordinate.get('Product.price')?.requests).toBe(5);
    expect(await redis.keys(`${keyPrefix}:*`)).toContain(`${keyPrefix}:since`);
    await redis.quit();
  });

  it('graft usage --config reads the shared counts without a gateway', { timeout: 60_000 }, async () => {
    const keyPrefix = uniqueKeyPrefix();
    const gateway = await startTestGateway({
      services: ['products'],
      config: { usage: { store: 'redis', redisUrl: REDIS_URL, keyPrefix } },
    });
    await gateway.post('{ topProducts(first: 1) { name } }', undefined, { 'graphql-client-name': 'web' });
    await gateway.close();

    // The CLI composes the graph from the real services: serve products on a socket for it.
    const { startMockServers } = await import('../../services-mock/index.js');
    const mocks = await startMockServers({ ports: 'ephemeral', only: ['products'] });
    try {
      const configFile = writeTempFile(
        'graft.config.yaml',
        [
          `usage: { store: redis, redisUrl: "${REDIS_URL}", keyPrefix: "${keyPrefix}" }`,
          'subgraphs:',
          `  - { name: products, url: "${mocks.urls.products}" }`,
        ].join('\n'),
      );
      const result = await runGraftCli(['usage', '--config', configFile, '--limit', '2']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { leastUsed: unknown[]; unused: string[] };
      expect(report.leastUsed).toEqual([
        { coordinate: 'Product.name', requests: 1, clients: [{ client: 'web', requests: 1 }] },
        { coordinate: 'Query.topProducts', requests: 1, clients: [{ client: 'web', requests: 1 }] },
      ]);
      expect(report.unused).toContain('Product.price');
    } finally {
      await mocks.close();
    }
  });
});
