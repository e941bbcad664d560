import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../../src/execution/plan/CompiledPlan.js';
import type { OperationPlanner } from '../../src/execution/plan/createOperationPlanner.js';
import { PlannerUnavailableError, type PlannerHost } from '../../src/execution/plan/PlannerHost.js';
import { planOnThisThread } from '../../src/execution/plan/planOnThisThread.js';
import { buildPlanner } from '../../src/stitching/buildPlanner.js';
import { composeFederation } from '../../src/stitching/composeFederation.js';

const LINK = (imports: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${imports.map((i) => `"@${i}"`).join(', ')}])`;

const supergraphSdl = composeFederation([
  {
    name: 'catalog',
    url: 'http://catalog.fed/graphql',
    sdl: `${LINK(['key'])}
      type Item @key(fields: "id") { id: ID!, title: String, price: Int, stock: Int }
      type Query { items: [Item] }
      type Subscription { itemAdded: Item }`,
  },
  {
    name: 'pricing',
    url: 'http://pricing.fed/graphql',
    sdl: `${LINK(['key', 'override'])}
      type Item @key(fields: "id") {
        id: ID!
        price: Int @override(from: "catalog", label: "percent(30)")
        stock: Int @override(from: "catalog", label: "beta")
      }`,
  },
]);
const clientSchema = buildSchema(`
  type Item { id: ID!, title: String, price: Int, stock: Int }
  type Query { items: [Item] }
  type Subscription { itemAdded: Item }
`);

const noPause = async () => {};
const plannerOf = (cacheSize: number, host: PlannerHost = planOnThisThread(), sdl = supergraphSdl) =>
  buildPlanner(sdl, { cacheSize, host }, noPause);

function prepare(
  planner: OperationPlanner,
  source: string,
  options: { overrideRoll?: number; deniedKey?: string } = {},
) {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  return planner.prepare({
    source,
    operationName: undefined,
    document,
    operation,
    deniedKey: options.deniedKey ?? '',
    schema: clientSchema,
    overrideRoll: options.overrideRoll ?? 99,
  });
}

/** The subgraphs a plan sends requests to, in plan order. */
function listServices(step: PlanStep | undefined): string[] {
  if (!step) return [];
  switch (step.kind) {
    case 'fetch':
      return [step.fetch.serviceName];
    case 'sequence':
    case 'parallel':
      return step.steps.flatMap(listServices);
    case 'condition':
      return [...listServices(step.ifStep), ...listServices(step.elseStep)];
  }
}

function servicesOf(prepared: Awaited<ReturnType<typeof prepare>>['prepared']): string[] {
  if (prepared.kind !== 'plan') throw new Error(`expected a plan, got: ${JSON.stringify(prepared)}`);
  return listServices(prepared.operation.step);
}

describe('the operation planner of a graph', () => {
  it('plans an operation once and serves it from the cache afterwards', async () => {
    const planner = await plannerOf(10);
    expect((await prepare(planner, '{ items { title } }')).cacheHit).toBe(false);
    expect((await prepare(planner, '{ items { title } }')).cacheHit).toBe(true);
    expect(
      (await prepare(planner, '{ items { title } }', { deniedKey: 'items.title@Item.title' })).cacheHit,
    ).toBe(false);
  });

  it('plans an operation once when several requests miss the cache together', async () => {
    const host = planOnThisThread();
    let plans = 0;
    const counting: PlannerHost = {
      load: async (sdl) => {
        const hosted = await host.load(sdl);
        return {
          ...hosted,
          plan: (...args) => {
            plans += 1;
            return hosted.plan(...args);
          },
        };
      },
      close: host.close,
    };
    const planner = await plannerOf(10, counting);
    const answers = await Promise.all([1, 2, 3].map(() => prepare(planner, '{ items { title } }')));
    expect(answers.map((answer) => answer.prepared.kind)).toEqual(['plan', 'plan', 'plan']);
    expect(plans).toBe(1);
  });

  it('drops the least recently used plan past its cache size', async () => {
    const planner = await plannerOf(2);
    await prepare(planner, '{ items { id } }');
    await prepare(planner, '{ items { title } }');
    await prepare(planner, '{ items { id } }');
    await prepare(planner, '{ items { price } }');
    expect((await prepare(planner, '{ items { id } }')).cacheHit).toBe(true);
    expect((await prepare(planner, '{ items { title } }')).cacheHit).toBe(false);
  });

  it('follows a percentage @override by the request’s roll, and keeps custom labels off', async () => {
    const planner = await plannerOf(10);
    const servicesFor = async (source: string, overrideRoll: number) =>
      servicesOf((await prepare(planner, source, { overrideRoll })).prepared);
    expect(await servicesFor('{ items { price } }', 10)).toEqual(['catalog', 'pricing']);
    expect(await servicesFor('{ items { price } }', 50)).toEqual(['catalog']);
    // Rolls on the same side of every percentage share a plan.
    expect((await prepare(planner, '{ items { price } }', { overrideRoll: 70 })).cacheHit).toBe(true);
    expect(await servicesFor('{ items { stock } }', 10)).toEqual(['catalog']);
  });

  it.each([
    ['subscription { itemAdded { id } }', 'subscription'],
    ['{ items { id ... @defer { title } } }', 'defer'],
    ['{ __type(name: "Item") { name } }', 'introspection'],
    ['{ items { id warranty } }', 'outside_federation'],
  ])('leaves %s to stitching (%s)', async (source, reason) => {
    const planner = await plannerOf(10);
    expect((await prepare(planner, source)).prepared).toMatchObject({ kind: 'fallback', reason });
  });

  it('asks no subgraph for an operation that selects only __typename', async () => {
    const planner = await plannerOf(10);
    expect(servicesOf((await prepare(planner, '{ __typename }')).prepared)).toEqual([]);
  });

  it('leaves an operation to stitching while its planner is gone, and plans it once it is back', async () => {
    const host = planOnThisThread();
    let gone = true;
    const flaky: PlannerHost = {
      load: async (sdl) => {
        const hosted = await host.load(sdl);
        return {
          ...hosted,
          plan: (...args) =>
            gone ? Promise.reject(new PlannerUnavailableError('worker crashed')) : hosted.plan(...args),
        };
      },
      close: host.close,
    };
    const planner = await plannerOf(10, flaky);
    expect((await prepare(planner, '{ items { id } }')).prepared).toMatchObject({
      kind: 'fallback',
      reason: 'planner_unavailable',
    });
    gone = false;
    const again = await prepare(planner, '{ items { id } }');
    expect(again).toMatchObject({ cacheHit: false, prepared: { kind: 'plan' } });
  });

  it('refuses a supergraph the planner cannot read when it is built, not when a request comes', async () => {
    await expect(plannerOf(10, planOnThisThread(), 'type Query { broken')).rejects.toMatchObject({
      issues: [{ code: 'QUERY_PLANNER_FAILED' }],
    });
  });
});
