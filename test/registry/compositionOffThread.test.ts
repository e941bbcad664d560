import { BroadcastChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createPlainService } from '../support/createPlainService.js';
import { COMPOSITION_TEST_CHANNEL, PLANNER_TEST_CHANNEL } from '../support/compositionTestChannel.js';
import { createFederationSubgraphs } from '../support/createFederationSubgraphs.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';

const ADMIN = { token: TEST_ADMIN_TOKEN, allowPrivateNetworks: true };
const TEST_WORKER = new URL('../support/compositionTestWorker.ts', import.meta.url);
const TEST_PLANNER = new URL('../support/plannerTestWorker.ts', import.meta.url);
const TOP_PRODUCT = '{ topProducts(first: 1) { name } }';

describe('composition off the serving thread', () => {
  let gateway: TestGateway | undefined;
  let channel: BroadcastChannel | undefined;
  afterEach(async () => {
    channel?.close();
    await gateway?.close();
    gateway = undefined;
  });

  it('answers a request sent while a composition holds its thread, before that composition ends', async () => {
    const held = createPlainService('held.test', 'type Query { "test:hold" held: String }', {
      held: () => 'composed',
    });
    gateway = await startTestGateway({
      config: { admin: ADMIN },
      wrapFetch: held.route,
      composition: { workerScript: TEST_WORKER },
      services: ['products'],
    });
    const compositions = new BroadcastChannel(COMPOSITION_TEST_CHANNEL);
    channel = compositions;
    const nextCompositionStarted = () =>
      new Promise<void>((resolve) => {
        compositions.onmessage = (event) => {
          if ((event as { data?: unknown }).data === 'started') resolve();
        };
      });
    const order: string[] = [];

    // Registering composes twice with the new subgraph: the check's dry run, then the reload.
    const checkStarted = nextCompositionStarted();
    const registering = gateway.admin('PUT', '/admin/subgraphs/held', { url: held.url }).then((answer) => {
      order.push('registration composed');
      return answer;
    });
    await checkStarted;
    const answer = await gateway.post(TOP_PRODUCT);
    order.push('request answered');
    expect(answer.body).toEqual({ data: { topProducts: [{ name: 'Table' }] } });

    const reloadStarted = nextCompositionStarted();
    compositions.postMessage('release');
    await reloadStarted;
    expect(await gateway.post(TOP_PRODUCT)).toMatchObject({ status: 200, body: { data: {} } });
    order.push('request answered');
    compositions.postMessage('release');
    expect((await registering).status).toBe(200);

    expect(order).toEqual(['request answered', 'request answered', 'registration composed']);
    expect((await gateway.post('{ held }')).body).toEqual({ data: { held: 'composed' } });
  });

  it('answers a request sent while the planner of a new graph is built, before that build ends', async () => {
    const held = createFederationSubgraphs({
      held: {
        sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
          type Query { heldPlanner: String }
          "test:hold-planner, in a supergraph large enough to be planned on a worker ${'.'.repeat(70_000)}"
          type Held { id: ID }
          extend type Query { held: Held }`,
        resolvers: { Query: { heldPlanner: () => 'planned' } },
      },
    });
    gateway = await startTestGateway({
      config: { admin: ADMIN },
      wrapFetch: (next) => (url, init) =>
        new URL(url).host === 'held.fed' ? held.fetch(url, init) : next(url, init),
      composition: { plannerScript: TEST_PLANNER },
      services: ['products'],
    });
    const planners = new BroadcastChannel(PLANNER_TEST_CHANNEL);
    channel = planners;
    const plannerStarted = new Promise<void>((resolve) => {
      planners.onmessage = (event) => {
        if ((event as { data?: unknown }).data === 'started') resolve();
      };
    });
    const order: string[] = [];

    const registering = gateway
      .admin('PUT', '/admin/subgraphs/held', { url: 'http://held.fed/graphql' })
      .then((answer) => {
        order.push('new graph served');
        return answer;
      });
    await plannerStarted;
    const answer = await gateway.post(TOP_PRODUCT);
    order.push('request answered');
    expect(answer.body).toEqual({ data: { topProducts: [{ name: 'Table' }] } });
    planners.postMessage('release');
    expect((await registering).status).toBe(200);

    expect(order).toEqual(['request answered', 'new graph served']);
    expect((await gateway.post('{ heldPlanner }')).body).toEqual({ data: { heldPlanner: 'planned' } });
  });

  it('turns a crashed composition worker into a clean failure and keeps serving the same graph', async () => {
    const news = createPlainService('news.test', 'type Query { headline: String }', {
      headline: () => 'hello',
    });
    const crashing = createPlainService('crashing.test', 'type Query { "test:crash" other: String }', {});
    gateway = await startTestGateway({
      config: {
        admin: ADMIN,
        subgraphs: [
          { name: 'products', url: 'http://products.mock/graphql' },
          { name: 'news', url: news.url },
        ],
      },
      wrapFetch: (fetch) => crashing.route(news.route(fetch)),
      composition: { workerScript: TEST_WORKER },
      services: ['products'],
    });
    const before = await gateway.readiness();

    // A reload whose composition crashes the worker: failed, the served graph stays.
    news.setSchema('type Query { headline: String "test:crash" byline: String }', {
      headline: () => 'hello',
      byline: () => 'by graft',
    });
    const status = await gateway.graft.graphs.reload('test');
    expect(status).toMatchObject({ outcome: 'failed', reason: 'test' });
    expect(status.error).toContain('[COMPOSITION_WORKER_FAILED]');
    expect(await gateway.readiness()).toMatchObject({
      status: 'ready',
      schemaHash: before.schemaHash,
      lastReload: { outcome: 'failed' },
    });
    expect((await gateway.post('{ headline }')).body).toEqual({ data: { headline: 'hello' } });
    expect((await gateway.post('{ byline }')).body.errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );

    // A registration whose check crashes the worker: refused as a composition problem, nothing changes.
    const refused = await gateway.admin('PUT', '/admin/subgraphs/crashing', { url: crashing.url });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'COMPOSITION_FAILED',
      problems: [{ code: 'COMPOSITION_WORKER_FAILED', subgraphs: [] }],
    });
    expect((await gateway.readiness()).schemaHash).toBe(before.schemaHash);

    // The next composition gets a new worker.
    news.setSchema('type Query { headline: String byline: String }', {
      headline: () => 'hello',
      byline: () => 'by graft',
    });
    expect(await gateway.graft.graphs.reload('fixed')).toMatchObject({ outcome: 'swapped' });
    expect((await gateway.post('{ headline byline }')).body).toEqual({
      data: { headline: 'hello', byline: 'by graft' },
    });
  });
});
