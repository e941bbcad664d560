import type { PlanNode } from '@graphql-hive/router-query-planner';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../../src/execution/plan/CompiledPlan.js';
import { coalesceFetches } from '../../src/execution/plan/coalesceFetches.js';
import { compileFetchPlan } from '../../src/execution/plan/compileFetchPlan.js';

const key = (typeName: string, ...fields: string[]) => [
  {
    kind: 'InlineFragment' as const,
    typeCondition: typeName,
    selections: ['__typename', ...fields].map((name) => ({ kind: 'Field' as const, name })),
  },
];

const entityFetch = (service: string, path: string[], selection: string, requires = key('Product', 'upc')) =>
  ({
    kind: 'Flatten',
    path: path.flatMap((field) => [{ Field: field }, '@' as const]),
    node: {
      kind: 'Fetch',
      serviceName: service,
      operation: `query($representations:[_Any!]!){_entities(representations:$representations){...on Product{${selection}}}}`,
      requires,
    },
  }) satisfies PlanNode;

/** Levels of a plan as lists of `service(lookup count)`. */
function describeLevels(step: PlanStep | undefined): string[][] {
  if (step?.kind !== 'sequence') throw new Error('expected a sequence');
  return step.steps.map((level) =>
    (level.kind === 'parallel' ? level.steps : [level]).map((child) =>
      child.kind === 'fetch' ? `${child.fetch.serviceName}(${child.fetch.entityLookups.length})` : child.kind,
    ),
  );
}

const root: PlanNode = { kind: 'Fetch', serviceName: 'products', operation: '{topProducts{__typename upc}}' };

describe('coalescing fetches to one subgraph across levels', () => {
  it('moves a lookup to the later level that asks the same subgraph, in one request', () => {
    const step = coalesceFetches(
      compileFetchPlan({
        kind: 'QueryPlan',
        node: {
          kind: 'Sequence',
          nodes: [
            root,
            {
              kind: 'Parallel',
              nodes: [
                entityFetch('inventory', ['topProducts'], 'inStock'),
                entityFetch('reviews', ['topProducts'], 'reviews{product{__typename upc}}'),
              ],
            },
            entityFetch('inventory', ['topProducts', 'reviews'], 'inStock'),
          ],
        },
      }),
    );
    expect(describeLevels(step)).toEqual([['products(0)'], ['reviews(1)'], ['inventory(2)']]);
    const last = step?.kind === 'sequence' ? step.steps[2] : undefined;
    if (last?.kind !== 'fetch') throw new Error('expected a fetch at the last level');
    expect(print(last.fetch.document)).toContain(
      '_c1__entities: _entities(representations: $_c1_representations)',
    );
  });

  it('keeps a lookup where it is when a later level needs what it answers', () => {
    const plan = compileFetchPlan({
      kind: 'QueryPlan',
      node: {
        kind: 'Sequence',
        nodes: [
          root,
          entityFetch('inventory', ['topProducts'], 'weight'),
          entityFetch('shipping', ['topProducts'], 'estimate', key('Product', 'upc', 'weight')),
          entityFetch('inventory', ['topProducts'], 'inStock'),
        ],
      },
    });
    expect(describeLevels(coalesceFetches(plan))).toEqual([
      ['products(0)'],
      ['inventory(1)'],
      ['shipping(1)'],
      ['inventory(1)'],
    ]);
  });
});
