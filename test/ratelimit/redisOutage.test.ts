import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/createLogger.js';
import {
  connectTestRedis,
  findFreePort,
  startRedisServer,
  uniqueKeyPrefix,
} from '../support/redisForTests.js';
import { startCatalogGateway, type CatalogGateway } from './support/startCatalogGateway.js';

const QUERY = '{ item(id: "1") { id } ping }';

function collectLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

/** Requests until the gateway's answers come from a fresh Redis again (bounded: reconnection is ≤ 1 s apart). */
async function waitUntilRedisCounts(
  gateway: CatalogGateway,
  countKeys: () => Promise<number>,
  query = '{ ping }',
) {
  const deadline = Date.now() + 10_000;
  while ((await countKeys()) === 0) {
    if (Date.now() > deadline) throw new Error('graft did not return to Redis within 10 s');
    await gateway.post(query);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Redis stopped under a running gateway', () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  let gateway: CatalogGateway | undefined;
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  beforeEach(() => {
    rejections.length = 0;
    process.on('unhandledRejection', onRejection);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onRejection);
    await gateway?.close();
    await redis?.stop();
    gateway = undefined;
    redis = undefined;
  });

  it('fails open: keeps limiting in memory with a warning and a metric, never a 5xx, and goes back to Redis when it returns', async () => {
    const port = await findFreePort();
    redis = await startRedisServer(port);
    const keyPrefix = uniqueKeyPrefix();
    const { lines, logger } = collectLogs();
    gateway = await startCatalogGateway({
      logger,
      rateLimits: {
        keyPrefix,
        redis: { url: redis.url, failMode: 'open', commandTimeoutMs: 5_000 },
        operations: { max: 1_000, window: '1h' },
        fields: { 'Query.item': { max: 3, window: '1h' } },
      },
    });
    const statuses: number[] = [];
    const post = async () => {
      const response = await gateway!.post(QUERY);
      statuses.push(response.status);
      return response;
    };
    const itemAnswered = async () => ((await post()).body.data as { item: unknown } | null)?.item != null;

    expect(await itemAnswered()).toBe(true);
    expect(await itemAnswered()).toBe(true);
    await redis.stop();

    // The in-memory insurance limiter starts from nothing: 3 more, then limited; everything else answered.
    const during = [await itemAnswered(), await itemAnswered(), await itemAnswered(), await itemAnswered()];
    expect(during).toEqual([true, true, true, false]);
    const last = await post();
    expect(last.body.data).toEqual({ item: null, ping: 'pong' });
    expect(last.headers.get('ratelimit-limit')).toBe('1000');
    expect(await gateway.metricsText()).toMatch(
      /^graft_rate_limiter_errors_total\{fail_mode="open"\} [1-9]\d*$/m,
    );
    expect(
      lines.some((line) => line.level === 'warn' && String(line.msg).includes('limiting in memory')),
    ).toBe(true);

    redis = await startRedisServer(port);
    const check = await connectTestRedis(redis.url);
    try {
      await waitUntilRedisCounts(gateway, async () => (await check.keys(`${keyPrefix}:*`)).length);
      // Back on Redis, whose bucket for Query.item is fresh: 3 allowed again, then limited.
      const after = [await itemAnswered(), await itemAnswered(), await itemAnswered(), await itemAnswered()];
      expect(after).toEqual([true, true, true, false]);
      expect(await check.get(`${keyPrefix}:field:Query.item:ip:127.0.0.1`)).toBe('4');
    } finally {
      check.disconnect();
    }
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(rejections).toEqual([]);
  });

  it('starts while Redis is down, limiting in memory, and moves to Redis once it is up', async () => {
    const port = await findFreePort();
    const keyPrefix = uniqueKeyPrefix();
    gateway = await startCatalogGateway({
      rateLimits: {
        keyPrefix,
        redis: { url: `redis://127.0.0.1:${port}` },
        fields: { 'Query.item': { max: 1, window: '1h' } },
      },
    });
    expect((await gateway.post(QUERY)).body).toEqual({ data: { item: { id: '1' }, ping: 'pong' } });
    expect((await gateway.post(QUERY)).body.data).toEqual({ item: null, ping: 'pong' });

    redis = await startRedisServer(port);
    const check = await connectTestRedis(redis.url);
    try {
      await waitUntilRedisCounts(gateway, async () => (await check.keys(`${keyPrefix}:*`)).length, QUERY);
      expect(await check.get(`${keyPrefix}:field:Query.item:ip:127.0.0.1`)).toBe('1');
    } finally {
      check.disconnect();
    }
    expect(rejections).toEqual([]);
  });

  it('answers within the command timeout when Redis hangs instead of dying', async () => {
    redis = await startRedisServer(await findFreePort());
    gateway = await startCatalogGateway({
      rateLimits: {
        keyPrefix: uniqueKeyPrefix(),
        redis: { url: redis.url, failMode: 'open', commandTimeoutMs: 200 },
        fields: { 'Query.item': { max: 5, window: '1h' } },
      },
    });
    expect((await gateway.post(QUERY)).status).toBe(200);
    redis.pause();
    try {
      const startedAt = Date.now();
      const response = await gateway.post(QUERY);
      const elapsedMs = Date.now() - startedAt;
      expect(response.body).toEqual({ data: { item: { id: '1' }, ping: 'pong' } });
      // Without a command timeout this request would wait for the TCP connection to give up (minutes).
      expect(elapsedMs).toBeLessThan(3_000);
      expect(await gateway.metricsText()).toMatch(/^graft_rate_limiter_errors_total\{fail_mode="open"\} 1$/m);
    } finally {
      redis.resume();
    }
    expect(rejections).toEqual([]);
  });

  it('fails closed: limited fields answer RATE_LIMITED and the operation limit 503, never a 500, and recovers by itself', async () => {
    const port = await findFreePort();
    redis = await startRedisServer(port);
    const keyPrefix = uniqueKeyPrefix();
    const fieldsOnly = await startCatalogGateway({
      rateLimits: {
        keyPrefix,
        redis: { url: redis.url, failMode: 'closed', commandTimeoutMs: 5_000 },
        fields: { 'Query.item': { max: 100, window: '1h' } },
      },
    });
    gateway = await startCatalogGateway({
      rateLimits: {
        keyPrefix,
        redis: { url: redis.url, failMode: 'closed', commandTimeoutMs: 5_000 },
        operations: { max: 100, window: '1h' },
      },
    });
    try {
      expect((await fieldsOnly.post(QUERY)).body).toEqual({ data: { item: { id: '1' }, ping: 'pong' } });
      expect((await gateway.post(QUERY)).status).toBe(200);
      await redis.stop();

      const field = await fieldsOnly.post(QUERY);
      expect(field.status).toBe(200);
      expect(field.body.data).toEqual({ item: null, ping: 'pong' });
      expect(field.body.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        limit: 100,
        remaining: 0,
      });

      const operation = await gateway.post(QUERY);
      expect(operation.status).toBe(503);
      expect(operation.headers.get('retry-after')).toBe('1');
      expect(operation.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITER_UNAVAILABLE');
      expect(await gateway.metricsText()).toMatch(
        /^graft_rate_limiter_errors_total\{fail_mode="closed"\} 1$/m,
      );

      redis = await startRedisServer(port);
      const deadline = Date.now() + 10_000;
      while ((await gateway.post('{ ping }')).status !== 200) {
        if (Date.now() > deadline) throw new Error('graft did not return to Redis within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await fieldsOnly.post(QUERY)).body).toEqual({ data: { item: { id: '1' }, ping: 'pong' } });
      expect(rejections).toEqual([]);
    } finally {
      await fieldsOnly.close();
    }
  });
});
