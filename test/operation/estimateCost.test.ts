import { buildSchema, Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { collectCostDirectives, type CostDirectives } from '../../src/limits/collectCostDirectives.js';
import { estimateCost, type CostEstimate } from '../../src/operation/estimateCost.js';
import { composeFederation } from '../../src/stitching/composeFederation.js';

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

function estimate(
  query: string,
  variables: Record<string, unknown> = {},
  graph: { schema: GraphQLSchema; directives: CostDirectives } = { schema, directives },
): CostEstimate {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  return estimateCost({
    ...graph,
    document,
    operation,
    variables,
    settings: { defaultListSize: 10, slicingArguments: ['first', 'last', 'limit'] },
  });
}

const cost = (query: string, variables: Record<string, unknown> = {}): number =>
  estimate(query, variables).cost;

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

/** Weights on arguments, input fields, enums and scalars, and `@listSize` slicing rules, as a subgraph writes them. */
const SHOP_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@cost", "@listSize"])
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION

  type Query {
    books(first: Int, filter: BookFilter @cost(weight: 3), order: Order, ids: [ID!] @cost(weight: 2)): [Book]
    find(where: BookFilter): Book
    range(first: Int, last: Int): [Book] @listSize(slicingArguments: ["first", "last"])
    loose(first: Int, last: Int): [Book] @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false, assumedSize: 4)
    search(take: Int = 7): [Book] @listSize(slicingArguments: ["take"])
  }
  input BookFilter { title: String @cost(weight: 4) year: Int nested: BookFilter }
  enum Order @cost(weight: 6) { ASC DESC }
  enum Format @cost(weight: 2) { PAPER EBOOK }
  scalar Money @cost(weight: 8)
  type Book { id: ID! price: Money format: Format }
`;
const shop = {
  schema: buildSchema(SHOP_SDL, { assumeValidSDL: true }),
  directives: collectCostDirectives({ directiveSources: [{ name: 'shop', sdl: SHOP_SDL }] }),
};
const shopEstimate = (query: string, variables: Record<string, unknown> = {}) =>
  estimate(query, variables, shop);

describe('estimateCost: arguments, input fields and type weights', () => {
  it('adds the weight of each argument given, once, not per list item', () => {
    expect(shopEstimate('{ books(first: 2) { id } }').cost).toBe(2);
    // order: the enum type's weight; filter: the argument's weight plus the input fields given.
    expect(shopEstimate('{ books(first: 2, order: ASC) { id } }').cost).toBe(2 + 6);
    expect(shopEstimate('{ books(first: 2, filter: { title: "x", year: 1 }) { id } }').cost).toBe(2 + 3 + 4);
    // A list costs the argument's weight plus each item's, as Apollo Router computes it.
    expect(shopEstimate('{ books(first: 2, ids: ["a", "b", "c"]) { id } }').cost).toBe(2 + 2 + 3 * 2);
  });

  it('costs an input object 1 without a weight, plus its fields, nested ones included', () => {
    expect(shopEstimate('{ find(where: { year: 1 }) { id } }').cost).toBe(1 + 1);
    expect(shopEstimate('{ find(where: { title: "x", nested: { title: "y" } }) { id } }').cost).toBe(
      1 + (1 + 4 + (1 + 4)),
    );
  });

  it('reads argument values from variables; a variable not sent or null costs nothing', () => {
    const query = 'query ($where: BookFilter) { find(where: $where) { id } }';
    expect(shopEstimate(query, { where: { title: 'x', nested: { title: 'y' } } }).cost).toBe(1 + (1 + 4 + 5));
    expect(shopEstimate(query).cost).toBe(1);
    expect(shopEstimate(query, { where: null }).cost).toBe(1);
    expect(shopEstimate('query ($t: String) { find(where: { title: $t }) { id } }', { t: 'x' }).cost).toBe(
      1 + 1 + 4,
    );
  });

  it('walks a large variable once however many fields take it', () => {
    let firstItemReads = 0;
    const ids = new Proxy(
      Array.from({ length: 10_000 }, (_, i) => String(i)),
      {
        get(target, key, receiver) {
          if (key === '0') firstItemReads += 1;
          return Reflect.get(target, key, receiver) as unknown;
        },
      },
    );
    const fields = Array.from({ length: 50 }, (_, i) => `b${i}: books(first: 1, ids: $ids) { id }`).join(' ');
    const result = shopEstimate(`query ($ids: [ID!]) { ${fields} }`, { ids });
    expect(result.cost).toBe(50 * (1 + 2 + 10_000 * 2));
    expect(firstItemReads).toBe(1);
  });

  it("uses a scalar's or an enum's type weight for a field that has none", () => {
    expect(shopEstimate('{ books(first: 2) { price format } }').cost).toBe(2 * (1 + 8 + 2));
  });
});

describe('estimateCost: requireOneSlicingArgument', () => {
  it('reports a field given none, or more than one, of its slicing arguments', () => {
    expect(shopEstimate('{ range { id } }').slicingViolation).toEqual({
      coordinate: 'Query.range',
      slicingArguments: ['first', 'last'],
      given: [],
    });
    expect(shopEstimate('{ range(first: 1, last: 2) { id } }').slicingViolation?.given).toEqual([
      'first',
      'last',
    ]);
    // A variable that is not sent gives nothing; an explicit null neither.
    expect(shopEstimate('query ($n: Int) { range(first: $n) { id } }').slicingViolation?.given).toEqual([]);
    expect(shopEstimate('{ search(take: null) { id } }').slicingViolation?.coordinate).toBe('Query.search');
  });

  it('accepts exactly one, sent or by its default, and fields that do not require one', () => {
    expect(shopEstimate('{ range(first: 3) { id } }')).toEqual({ cost: 3, slicingViolation: undefined });
    expect(shopEstimate('query ($n: Int) { range(last: $n) { id } }', { n: 5 })).toEqual({
      cost: 5,
      slicingViolation: undefined,
    });
    expect(shopEstimate('{ search { id } }')).toEqual({ cost: 7, slicingViolation: undefined });
    expect(shopEstimate('{ loose { id } }')).toEqual({ cost: 4, slicingViolation: undefined });
    expect(shopEstimate('{ loose(first: 1, last: 9) { id } }')).toEqual({
      cost: 9,
      slicingViolation: undefined,
    });
  });

  it('does not judge a selection a known @skip drops', () => {
    expect(shopEstimate('{ range @skip(if: true) { id } }').slicingViolation).toBeUndefined();
  });
});

describe('collectCostDirectives: where the directives are read', () => {
  const LIBRARY = `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
    type Query {
      books(first: Int, last: Int, filter: BookFilter @cost(weight: 3)): [Book] @listSize(slicingArguments: ["first", "last"])
      search(first: Int, term: String): [Book] @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false, assumedSize: 5)
    }
    input BookFilter { title: String @cost(weight: 2) year: Int }
    enum Order @cost(weight: 4) { ASC DESC }
    scalar Money @cost(weight: 6)
    type Book @key(fields: "id") @cost(weight: 9) { id: ID! price: Money order: Order }
  `;
  const expectLibraryDirectives = (found: CostDirectives) => {
    expect(Object.fromEntries(found.weights)).toEqual({
      'Query.books(filter:)': 3,
      'BookFilter.title': 2,
      Order: 4,
      Money: 6,
      Book: 9,
    });
    expect(found.listSizes.get('Query.books')).toEqual({
      assumedSize: undefined,
      slicingArguments: ['first', 'last'],
      sizedFields: [],
      requireOneSlicingArgument: true,
    });
    expect(found.listSizes.get('Query.search')?.requireOneSlicingArgument).toBe(false);
  };

  it('reads a subgraph SDL: weights on arguments, input fields, enums, scalars and types', () => {
    expectLibraryDirectives(collectCostDirectives({ directiveSources: [{ name: 'library', sdl: LIBRARY }] }));
  });

  it('reads the same from the supergraph composition writes', () => {
    const supergraph = composeFederation([{ name: 'library', url: 'http://library', sdl: LIBRARY }]);
    expectLibraryDirectives(
      collectCostDirectives({ directiveSources: [{ name: 'supergraph', sdl: supergraph }] }),
    );
  });

  it("reads a supergraph's renamed imports, the cost spec's un-imported names and @join__directive", () => {
    const supergraph = `
      schema
        @link(url: "https://specs.apollo.dev/link/v1.0")
        @link(url: "https://specs.apollo.dev/cost/v0.1", import: [{ name: "@cost", as: "@renamedCost" }]) {
        query: Query
      }
      type Query {
        a(n: Int @renamedCost(weight: "10")): Int @renamedCost(weight: "5")
        b(first: Int): [Int] @cost__listSize(slicingArguments: ["first"])
        c: [Int] @join__directive(graphs: [X], name: "listSize", args: { assumedSize: 40 })
        d: Int @cost(weight: 99)
      }
      type Thing @join__directive(graphs: [X], name: "cost", args: { weight: 7 }) { id: ID }
    `;
    const found = collectCostDirectives({ directiveSources: [{ name: 'supergraph', sdl: supergraph }] });
    // `@cost` is renamed here, so a plain `@cost` is some other directive.
    expect(Object.fromEntries(found.weights)).toEqual({ 'Query.a': 5, 'Query.a(n:)': 10, Thing: 7 });
    expect(found.listSizes.get('Query.b')?.requireOneSlicingArgument).toBe(true);
    expect(found.listSizes.get('Query.c')?.assumedSize).toBe(40);
  });
});
