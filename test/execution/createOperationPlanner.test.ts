import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../../src/execution/plan/CompiledPlan.js';
import { createOperationPlanner } from '../../src/execution/plan/createOperationPlanner.js';
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

function prepare(
  planner: ReturnType<typeof createOperationPlanner>,
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

function servicesOf(prepared: ReturnType<typeof prepare>['prepared']): string[] {
  if (prepared.kind !== 'plan') throw new Error(`expected a plan, got: ${JSON.stringify(prepared)}`);
  return listServices(prepared.operation.step);
}

describe('the operation planner of a graph', () => {
  it('plans an operation once and serves it from the cache afterwards', () => {
    const planner = createOperationPlanner(supergraphSdl, { cacheSize: 10 });
    expect(prepare(planner, '{ items { title } }').cacheHit).toBe(false);
    expect(prepare(planner, '{ items { title } }').cacheHit).toBe(true);
    expect(prepare(planner, '{ items { title } }', { deniedKey: 'items.title@Item.title' }).cacheHit).toBe(
      false,
    );
  });

  it('drops the least recently used plan past its cache size', () => {
    const planner = createOperationPlanner(supergraphSdl, { cacheSize: 2 });
    prepare(planner, '{ items { id } }');
    prepare(planner, '{ items { title } }');
    prepare(planner, '{ items { id } }');
    prepare(planner, '{ items { price } }');
    expect(prepare(planner, '{ items { id } }').cacheHit).toBe(true);
    expect(prepare(planner, '{ items { title } }').cacheHit).toBe(false);
  });

  it('follows a percentage @override by the request’s roll, and keeps custom labels off', () => {
    const planner = createOperationPlanner(supergraphSdl, { cacheSize: 10 });
    expect(servicesOf(prepare(planner, '{ items { price } }', { overrideRoll: 10 }).prepared)).toEqual([
      'catalog',
      'pricing',
    ]);
    expect(servicesOf(prepare(planner, '{ items { price } }', { overrideRoll: 50 }).prepared)).toEqual([
      'catalog',
    ]);
    // Rolls on the same side of every percentage share a plan.
    expect(prepare(planner, '{ items { price } }', { overrideRoll: 70 }).cacheHit).toBe(true);
    expect(servicesOf(prepare(planner, '{ items { stock } }', { overrideRoll: 10 }).prepared)).toEqual([
      'catalog',
    ]);
  });

  it.each([
    ['subscription { itemAdded { id } }', 'subscription'],
    ['{ items { id ... @defer { title } } }', 'defer'],
    ['{ __type(name: "Item") { name } }', 'introspection'],
    ['{ items { id warranty } }', 'outside_federation'],
  ])('leaves %s to stitching (%s)', (source, reason) => {
    const planner = createOperationPlanner(supergraphSdl, { cacheSize: 10 });
    expect(prepare(planner, source).prepared).toMatchObject({ kind: 'fallback', reason });
  });

  it('asks no subgraph for an operation that selects only __typename', () => {
    const planner = createOperationPlanner(supergraphSdl, { cacheSize: 10 });
    expect(servicesOf(prepare(planner, '{ __typename }').prepared)).toEqual([]);
  });

  it('refuses a supergraph the planner cannot read when it is built, not when a request comes', () => {
    expect(() => createOperationPlanner('type Query { broken', { cacheSize: 10 })).toThrow();
  });
});
