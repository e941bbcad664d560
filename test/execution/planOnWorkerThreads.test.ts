import { afterEach, describe, expect, it } from 'vitest';
import type { PlannerHost } from '../../src/execution/plan/PlannerHost.js';
import { PlannerUnavailableError } from '../../src/execution/plan/PlannerHost.js';
import { planOnThisThread } from '../../src/execution/plan/planOnThisThread.js';
import { planOnWorkerThreads } from '../../src/execution/plan/planOnWorkerThreads.js';
import { composeFederation } from '../../src/stitching/composeFederation.js';

const TEST_PLANNER = new URL('../support/plannerTestWorker.ts', import.meta.url);
const supergraphSdl = composeFederation([
  {
    name: 'catalog',
    url: 'http://catalog.fed/graphql',
    sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Item @key(fields: "id") { id: ID!, title: String }
      type Query { items: [Item] }`,
  },
  {
    name: 'pricing',
    url: 'http://pricing.fed/graphql',
    sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Item @key(fields: "id") { id: ID!, price: Int }`,
  },
]);
const QUERY = '{ items { title price } }';

describe('query planners on worker threads', () => {
  const hosts: PlannerHost[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.close()));
  });

  it('plan on a worker exactly as on this thread, with the same client-facing schema', async () => {
    const workers = planOnWorkerThreads({ script: TEST_PLANNER });
    const here = planOnThisThread();
    hosts.push(workers, here);
    const [remote, local] = await Promise.all([workers.load(supergraphSdl), here.load(supergraphSdl)]);
    expect(remote.consumerSchemaPieces).toEqual(local.consumerSchemaPieces);
    expect(await remote.plan(QUERY, null, 0)).toEqual(await local.plan(QUERY, null, 0));
    await expect(remote.plan('{ items { nope } }', null, 0)).rejects.toThrow();
  });

  it('rejects a supergraph the planner refuses, with the planner’s message', async () => {
    const workers = planOnWorkerThreads({ script: TEST_PLANNER });
    hosts.push(workers);
    await expect(workers.load('type Query { broken')).rejects.toThrow(/.+/);
  });

  it('answers PlannerUnavailableError once a graph’s worker crashed or was released, while other graphs plan on', async () => {
    const workers = planOnWorkerThreads({ script: TEST_PLANNER });
    hosts.push(workers);
    const crashing = await workers.load(supergraphSdl);
    const released = await workers.load(supergraphSdl);
    const other = await workers.load(supergraphSdl);
    await expect(crashing.plan(`# test:crash-planner\n${QUERY}`, null, 0)).rejects.toBeInstanceOf(
      PlannerUnavailableError,
    );
    await expect(crashing.plan(QUERY, null, 0)).rejects.toBeInstanceOf(PlannerUnavailableError);
    released.release();
    await expect(released.plan(QUERY, null, 0)).rejects.toBeInstanceOf(PlannerUnavailableError);
    expect(await other.plan(QUERY, null, 0)).toMatchObject({ kind: 'QueryPlan' });
  });
});
