import type { RequiresSelection } from '@graphql-hive/router-query-planner';
import { describe, expect, it } from 'vitest';
import type { EntityLookup } from '../../src/execution/plan/CompiledPlan.js';
import { buildRepresentations } from '../../src/execution/run/buildRepresentations.js';

const matches = (typeName: unknown, condition: string) => typeName === condition;

function lookup(requires: RequiresSelection[]): EntityLookup {
  return {
    responseKey: '_entities',
    representationsVariable: 'representations',
    paths: [],
    requires,
    inputRewrites: [],
    outputRewrites: [],
  };
}

const field = (name: string, selections?: RequiresSelection[]): RequiresSelection =>
  ({ kind: 'Field', name, ...(selections ? { selections } : {}) }) as RequiresSelection;
const on = (typeCondition: string, selections: RequiresSelection[]): RequiresSelection =>
  ({ kind: 'InlineFragment', typeCondition, selections }) as RequiresSelection;

describe('representations of an entity lookup', () => {
  it('sends each distinct key once and answers every position that shares it', () => {
    const products = [
      { __typename: 'Product', upc: '1', name: 'Table' },
      { __typename: 'Product', upc: '2' },
      { __typename: 'Product', upc: '1', price: 3 },
      { __typename: 'User', id: '1' },
    ];
    const { values, targets } = buildRepresentations(
      lookup([on('Product', [field('__typename'), field('upc')])]),
      products,
      matches,
    );
    expect(values).toEqual([
      { __typename: 'Product', upc: '1' },
      { __typename: 'Product', upc: '2' },
    ]);
    expect(targets).toEqual([[products[0], products[2]], [products[1]]]);
  });

  it('tells a string from a number and a missing field from a present one, as their JSON does', () => {
    const entities = [
      { __typename: 'Product', upc: '1', weight: 1 },
      { __typename: 'Product', upc: 1, weight: 1 },
      { __typename: 'Product', upc: '1' },
      { __typename: 'Product', upc: '1', weight: null },
    ];
    const { values, targets } = buildRepresentations(
      lookup([on('Product', [field('__typename'), field('upc'), field('weight')])]),
      entities,
      matches,
    );
    expect(values).toEqual([
      { __typename: 'Product', upc: '1', weight: 1 },
      { __typename: 'Product', upc: 1, weight: 1 },
      { __typename: 'Product', upc: '1', weight: null },
    ]);
    // A field an earlier fetch did not provide is sent as null: the same representation as an explicit null.
    expect(targets[2]).toEqual([entities[2], entities[3]]);
  });

  it('compares object-valued key fields by their selected content', () => {
    const requires = [
      on('Product', [field('__typename'), field('dimensions', [field('width'), field('unit')])]),
    ];
    const entities = [
      { __typename: 'Product', dimensions: { width: 2, unit: 'cm', extra: true } },
      { __typename: 'Product', dimensions: { unit: 'cm', width: 2 } },
      { __typename: 'Product', dimensions: { width: 3, unit: 'cm' } },
    ];
    const { values, targets } = buildRepresentations(lookup(requires), entities, matches);
    expect(values).toEqual([
      { __typename: 'Product', dimensions: { width: 2, unit: 'cm' } },
      { __typename: 'Product', dimensions: { width: 3, unit: 'cm' } },
    ]);
    expect(targets.map((list) => list.length)).toEqual([2, 1]);
  });

  it('keys entities of several type conditions apart', () => {
    const requires = [
      on('Book', [field('__typename'), field('isbn')]),
      on('Film', [field('__typename'), field('id')]),
    ];
    const entities = [
      { __typename: 'Book', isbn: '1' },
      { __typename: 'Film', id: '1' },
      { __typename: 'Book', isbn: '1' },
      { __typename: 'Song', id: '1' },
    ];
    const { values, targets } = buildRepresentations(lookup(requires), entities, matches);
    expect(values).toEqual([
      { __typename: 'Book', isbn: '1' },
      { __typename: 'Film', id: '1' },
    ]);
    expect(targets).toEqual([[entities[0], entities[2]], [entities[1]]]);
  });
});
