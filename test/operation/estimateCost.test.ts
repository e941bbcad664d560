import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { collectCostDirectives } from '../../src/limits/collectCostDirectives.js';
import { estimateCost } from '../../src/operation/estimateCost.js';

/** A subgraph's SDL as Federation v2.9 writes demand-control directives. */
const SUBGRAPH_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION

  type Query {
    books(first: Int, limit: Int): [Book]
    shelves: [Shelf] @listSize(assumedSize: 3)
    search(take: Int = 7): [Book] @listSize(slicingArguments: ["take"])
    page(first: Int): BookConnection @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
    report: Report @cost(weight: 50)
    tags: [String]
  }
  type Book @key(fields: "id") { id: ID! title: String author: Author }
  type Author @cost(weight: 5) { name: String }
  type Shelf { books: [Book] }
  type BookConnection { edges: [Edge] }
  type Edge { node: Book }
  type Report { total: Int }
`;

const schema = buildSchema(`
  type Query {
    books(first: Int, limit: Int): [Book]
    shelves: [Shelf]
    search(take: Int = 7): [Book]
    page(first: Int): BookConnection
    report: Report
    tags: [String]
  }
  type Book { id: ID! title: String author: Author }
  type Author { name: String }
  type Shelf { books: [Book] }
  type BookConnection { edges: [Edge] }
  type Edge { node: Book }
  type Report { total: Int }
`);
const directives = collectCostDirectives({ directiveSources: [{ name: 'library', sdl: SUBGRAPH_SDL }] });

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  return estimateCost({
    schema,
    document,
    operation,
    variables,
    directives,
    settings: { defaultListSize: 10, slicingArguments: ['first', 'last', 'limit'] },
  });
}

describe('estimateCost', () => {
  it('charges 1 per object, 0 per scalar, times the default list size for a list with no hint', () => {
    expect(cost('{ books { id title } }')).toBe(10);
    expect(cost('{ tags }')).toBe(0);
    expect(cost('{ shelves { books { id } } }')).toBe(3 * (1 + 10));
  });

  it('reads slicing arguments, from literals, variables and defaults, before any assumption', () => {
    expect(cost('{ books(first: 2) { id } }')).toBe(2);
    expect(cost('query ($n: Int) { books(limit: $n) { id } }', { n: 40 })).toBe(40);
    expect(cost('query ($n: Int = 4) { books(first: $n) { id } }')).toBe(4);
    expect(cost('{ search { id } }')).toBe(7);
    expect(cost('{ search(take: 1) { id } }')).toBe(1);
  });

  it('applies @cost on fields and types, and @listSize(sizedFields) to a connection', () => {
    expect(cost('{ report { total } }')).toBe(50);
    expect(cost('{ books(first: 2) { author { name } } }')).toBe(2 * (1 + 5));
    expect(cost('{ page(first: 4) { edges { node { id } } } }')).toBe(1 + 4 * (1 + 1));
  });

  it('counts every fragment spread, costs each fragment once, and drops known @skip', () => {
    const doubling = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Book { ...F${i} ...F${i} }`);
    expect(
      cost(`{ books(first: 1) { ...F40 } } fragment F0 on Book { author { name } } ${doubling.join(' ')}`),
    ).toBe(1 + 5 * 2 ** 40);
    expect(
      cost('query ($off: Boolean!) { books @skip(if: $off) { id } report { total } }', { off: true }),
    ).toBe(50);
  });

  it('reads @cost and @listSize spelled with the federation__ prefix, and takes the larger of two subgraphs', () => {
    const both = collectCostDirectives({
      directiveSources: [
        {
          name: 'a',
          sdl: 'type Query { shelves: [Shelf] @federation__listSize(assumedSize: 2) } type Shelf { id: ID }',
        },
        { name: 'b', sdl: 'type Query { shelves: [Shelf] @listSize(assumedSize: 6) } type Shelf { id: ID }' },
      ],
    });
    expect(both.listSizes.get('Query.shelves')?.assumedSize).toBe(6);
  });
});
