import { buildSchema } from 'graphql';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../src/gateway/GatewayContext.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { describeBreakingChanges } from '../../src/registry/describeBreakingChanges.js';
import { createMemoryUsageStore } from '../../src/usage/createMemoryUsageStore.js';
import { createUsageMetrics } from '../../src/usage/createUsageMetrics.js';
import { createUsageRecorder } from '../../src/usage/createUsageRecorder.js';
import { resolveUsageClient } from '../../src/usage/resolveUsageClient.js';
import type { UsageStore } from '../../src/usage/UsageStore.js';

function recorderOver(
  store: UsageStore,
  options: {
    maxClients?: number;
    maxPendingEntries?: number;
    sampleRate?: number;
    random?: () => number;
  } = {},
) {
  const registry = new Registry();
  const metrics = createUsageMetrics(registry);
  const recorder = createUsageRecorder({
    store,
    bucketSec: 3_600,
    sampleRate: options.sampleRate ?? 1,
    flushIntervalMs: 60_000,
    maxClients: options.maxClients ?? 10,
    maxPendingEntries: options.maxPendingEntries ?? 100,
    nowSec: () => 1_000_000,
    logger: createLogger('silent'),
    metrics,
    ...(options.random ? { random: options.random } : {}),
  });
  const dropped = async (reason: string) =>
    (await metrics.dropped.get()).values.find((value) => value.labels.reason === reason)?.value ?? 0;
  return { recorder, dropped };
}

const memoryStore = () =>
  createMemoryUsageStore({ retentionSec: 86_400, bucketSec: 3_600, nowSec: () => 1_000_000 });
const countsOf = async (store: UsageStore, coordinate: string) =>
  Object.fromEntries((await store.read(0, 2_000_000)).byCoordinate.get(coordinate) ?? []);

describe('the usage recorder', () => {
  it('counts clients beyond maxClients as "other"', async () => {
    const store = memoryStore();
    const { recorder } = recorderOver(store, { maxClients: 2 });
    for (const client of ['a', 'b', 'c', 'd', 'a']) recorder.record(client, ['Query.me']);
    await recorder.flush();
    expect(await countsOf(store, 'Query.me')).toEqual({ a: 2, b: 1, other: 2 });
  });

  it('drops new counts beyond maxPendingEntries between flushes, and counts the drops', async () => {
    const store = memoryStore();
    const { recorder, dropped } = recorderOver(store, { maxPendingEntries: 2 });
    recorder.record('web', ['Query.a', 'Query.b', 'Query.c']);
    recorder.record('web', ['Query.a']);
    await recorder.flush();
    expect(await countsOf(store, 'Query.a')).toEqual({ web: 2 });
    expect(await countsOf(store, 'Query.c')).toEqual({});
    expect(await dropped('pending_full')).toBe(1);
  });

  it('samples by sampleRate and weighs each counted request by its inverse', async () => {
    const store = memoryStore();
    const draws = [0.1, 0.9, 0.2, 0.8];
    const { recorder } = recorderOver(store, { sampleRate: 0.5, random: () => draws.shift()! });
    for (let i = 0; i < 4; i += 1) recorder.record('web', ['Query.me']);
    await recorder.flush();
    expect(await countsOf(store, 'Query.me')).toEqual({ web: 4 });
  });

  it('drops a batch the store refuses, counts it, and goes on', async () => {
    let failing = true;
    const store = memoryStore();
    const flaky: UsageStore = {
      ...store,
      add: (batch) => (failing ? Promise.reject(new Error('down')) : store.add(batch)),
    };
    const { recorder, dropped } = recorderOver(flaky);
    recorder.record('web', ['Query.me']);
    await recorder.flush();
    expect(await dropped('store_error')).toBe(1);
    failing = false;
    recorder.record('web', ['Query.me']);
    await recorder.close();
    expect(await countsOf(store, 'Query.me')).toEqual({ web: 1 });
  });
});

describe('the client a request is counted for', () => {
  const context = (headers: Record<string, string>, sub?: string) =>
    ({ requestHeaders: headers, ...(sub ? { claims: { sub } } : {}) }) as unknown as GatewayContext;

  it('is the client-name header, else the token subject, else anonymous', () => {
    expect(
      resolveUsageClient(context({ 'graphql-client-name': 'web' }, 'alice'), 'graphql-client-name'),
    ).toBe('web');
    expect(resolveUsageClient(context({}, 'alice'), 'graphql-client-name')).toBe('sub:alice');
    expect(resolveUsageClient(context({}), 'graphql-client-name')).toBe('anonymous');
    expect(resolveUsageClient(context({ 'graphql-client-name': 'x\ty' }), 'graphql-client-name')).toBe(
      'anonymous',
    );
    expect(
      resolveUsageClient(context({ 'graphql-client-name': 'a'.repeat(65) }), 'graphql-client-name'),
    ).toBe('anonymous');
  });
});

describe('the fields a breaking change touches', () => {
  const current = buildSchema(`
    type Query { product(filter: Filter): Product, search: [Result] }
    input Filter { size: Size }
    enum Size { S M L }
    type Product { upc: String, name: String }
    type Review { body: String }
    union Result = Product | Review
  `);

  it('are the field itself, the fields of and to a removed type, and fields taking a changed input', () => {
    const candidate = buildSchema(`
      type Query { product(filter: Filter): Product, search: [Result] }
      input Filter { size: Size }
      enum Size { S M }
      type Product { upc: String }
      type Review { body: String }
      union Result = Product
    `);
    const changes = describeBreakingChanges(current, candidate);
    const byType = Object.fromEntries(changes.map((change) => [change.description, change.coordinates]));
    expect(byType).toEqual({
      'Product.name was removed.': ['Product.name'],
      'L was removed from enum type Size.': ['Query.product'],
      'Review was removed from union type Result.': ['Query.search'],
    });
  });
});
