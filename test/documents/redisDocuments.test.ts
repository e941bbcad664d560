import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashDocument } from '../../src/documents/hashDocument.js';
import { connectTestRedis, findFreePort, REDIS_URL, uniqueKeyPrefix } from '../support/redisForTests.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';
import {
  apolloManifest,
  byHash,
  nextManifestLoad,
  postBody,
  TOP_PRODUCTS,
  USER_NAMES,
  USERS,
} from './support/documentRequests.js';

/** Two gateways on one Redis and one key prefix: what two replicas of a deployment are. */
async function startPair(documents: Record<string, unknown>) {
  const start = () =>
    startTestGateway({
      services: ['accounts', 'products'],
      config: { admin: { token: TEST_ADMIN_TOKEN }, documents },
    });
  return Promise.all([start(), start()]);
}

describe('trusted documents shared through Redis', () => {
  let redis: Redis;
  let keyPrefix: string;
  let a: TestGateway;
  let b: TestGateway;
  beforeAll(async () => {
    redis = await connectTestRedis();
    keyPrefix = uniqueKeyPrefix();
    [a, b] = await startPair({
      mode: 'require',
      store: 'redis',
      redis: { url: REDIS_URL, keyPrefix, pollIntervalMs: 0 },
    });
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('an operation added through one instance runs on the other at once, and a removal refuses it on both', async () => {
    expect((await b.post(USERS)).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');

    const bLoaded = nextManifestLoad(b.graft, (load) => load.kind === 'loaded' && load.operations === 2);
    const added = await a.admin('POST', '/admin/documents', apolloManifest(USERS, TOP_PRODUCTS));
    expect(added).toEqual({
      status: 200,
      body: { added: [hashDocument(USERS), hashDocument(TOP_PRODUCTS)] },
    });
    await bLoaded;
    b.mocks.resetRequests();
    const byHashOnB = await postBody(b.graft.url, byHash(hashDocument(USERS)));
    expect(byHashOnB.body.errors).toBeUndefined();
    expect(b.subgraphRequestCount()).toBeGreaterThan(0);
    // The instance that took the change answers with it already applied.
    expect((await a.post(TOP_PRODUCTS)).body.errors).toBeUndefined();

    const aLoaded = nextManifestLoad(a.graft, (load) => load.kind === 'loaded' && load.operations === 1);
    const removed = await b.admin('DELETE', `/admin/documents/${hashDocument(TOP_PRODUCTS)}`);
    expect(removed).toEqual({ status: 200, body: { removed: [hashDocument(TOP_PRODUCTS)] } });
    await aLoaded;
    expect((await a.post(TOP_PRODUCTS)).body.errors?.[0]?.extensions?.code).toBe(
      'PERSISTED_QUERY_NOT_ALLOWED',
    );

    const list = await b.admin('GET', '/admin/documents');
    expect(list.body).toEqual({
      mode: 'require',
      operations: [{ id: hashDocument(USERS), type: 'query', body: USERS }],
    });
  });

  it('refuses a bad manifest through the admin API, and keeps the last good one when Redis holds a bad entry', async () => {
    const bad = await a.admin('POST', '/admin/documents', { [hashDocument(USERS)]: USER_NAMES });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_MANIFEST');
    const notGraphql = await a.admin('POST', '/admin/documents', { 'my-id': '{ users { ' });
    expect(notGraphql.body.error.code).toBe('INVALID_MANIFEST');

    // Another writer puts an entry whose id is not its body's hash straight into Redis.
    const failed = nextManifestLoad(b.graft, (load) => load.kind === 'failed');
    await redis
      .multi()
      .hset(`${keyPrefix}:manifest`, hashDocument(TOP_PRODUCTS), JSON.stringify({ body: USER_NAMES }))
      .publish(`${keyPrefix}:manifest:changes`, 'add')
      .exec();
    await failed;
    expect((await b.post(USERS)).body.errors).toBeUndefined();
    expect((await b.post(USER_NAMES)).status).toBe(400);
    await redis.hdel(`${keyPrefix}:manifest`, hashDocument(TOP_PRODUCTS));
  });

  it('answers 404 for an id that is not there, and never lists anything but documents', async () => {
    const missing = await a.admin('DELETE', '/admin/documents/no-such-id');
    expect(missing).toEqual({
      status: 404,
      body: { error: { code: 'DOCUMENT_NOT_FOUND', message: 'No trusted document has the id "no-such-id"' } },
    });
    const unauthenticated = await a.admin('GET', '/admin/documents', undefined, null);
    expect(unauthenticated.status).toBe(401);
  });
});

describe('automatic persisted queries shared through Redis', () => {
  let redis: Redis;
  let keyPrefix: string;
  let a: TestGateway;
  let b: TestGateway;
  beforeAll(async () => {
    redis = await connectTestRedis();
    keyPrefix = uniqueKeyPrefix();
    [a, b] = await startPair({ apq: { store: 'redis' }, redis: { url: REDIS_URL, keyPrefix } });
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('a query registered on one instance is found by hash on the other, with the configured expiry', async () => {
    const hash = hashDocument(USER_NAMES);
    expect((await postBody(b.graft.url, byHash(hash))).body.errors?.[0]?.extensions?.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    const registered = await postBody(a.graft.url, byHash(hash, USER_NAMES));
    expect(registered.body.errors).toBeUndefined();

    // Apollo Server stores the query after answering; wait for the key itself rather than for time.
    const key = `${keyPrefix}:apq:${hash}`;
    for (let attempt = 0; (await redis.exists(key)) === 0 && attempt < 100; attempt += 1)
      await new Promise((resolve) => setImmediate(resolve));
    expect(await redis.get(key)).toBe(USER_NAMES);
    expect(await redis.ttl(key)).toBeGreaterThan(86_000);

    b.mocks.resetRequests();
    const used = await postBody(b.graft.url, byHash(hash));
    expect(used.body.errors).toBeUndefined();
    expect(used.body.data).toEqual(registered.body.data);
    expect(b.subgraphRequestCount()).toBeGreaterThan(0);
  });
});

describe('a Redis manifest store that is down', () => {
  it('starts anyway, refuses what it cannot check in require mode, and counts the failed load', async () => {
    const gateway = await startTestGateway({
      services: ['accounts'],
      config: {
        documents: {
          mode: 'require',
          store: 'redis',
          bypass: { apiKeyHeader: 'x-bypass-key', apiKeys: ['bypass-key-0123456789'] },
          redis: {
            url: `redis://127.0.0.1:${await findFreePort()}`,
            keyPrefix: uniqueKeyPrefix(),
            connectTimeoutMs: 200,
          },
        },
      },
    });
    try {
      expect((await gateway.post(USERS)).body.errors?.[0]?.extensions?.code).toBe(
        'PERSISTED_QUERY_NOT_ALLOWED',
      );
      expect(gateway.subgraphRequestCount()).toBe(0);
      const metrics = await gateway.graft.metrics.registry.metrics();
      expect(metrics).toMatch(/graft_documents_manifest_reloads_total\{outcome="failed"\} [1-9]/);
      // For a trusted caller, APQ in that Redis is a miss, then a registration that runs: never a failed request.
      const trusted = { 'x-bypass-key': 'bypass-key-0123456789' };
      const miss = await postBody(gateway.graft.url, byHash(hashDocument(USER_NAMES)), trusted);
      expect(miss.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const register = await postBody(
        gateway.graft.url,
        byHash(hashDocument(USER_NAMES), USER_NAMES),
        trusted,
      );
      expect(register.status).toBe(200);
      expect(register.body.errors).toBeUndefined();
    } finally {
      await gateway.close();
    }
  });
});
