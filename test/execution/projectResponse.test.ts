import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createResponseGuard, ResponseTooLargeError } from '../../src/execution/createResponseGuard.js';
import { compileProjection } from '../../src/execution/respond/compileProjection.js';
import { projectResponse } from '../../src/execution/respond/projectResponse.js';
import { FieldErrors } from '../../src/execution/run/FieldErrors.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type Product implements Node { id: ID!, name: String, price: Int!, reviews: [Review!] }
  type Review implements Node { id: ID!, body: String!, stars: Int }
  type User implements Node { id: ID!, name: String! }
  union SearchResult = Product | User
  type Query {
    product: Product
    products: [Product]
    search: [SearchResult]
    node: Node!
    version: String!
  }
`);

function project(
  query: string,
  data: Record<string, unknown>,
  options: { variables?: Record<string, unknown>; errors?: FieldErrors; maxBytes?: number } = {},
) {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const projection = compileProjection(schema, operation, fragments, options.variables ?? {})!;
  const guard = createResponseGuard({ maxEntities: 1_000, maxResponseBytes: options.maxBytes ?? 1_000_000 });
  const { data: projected, errors } = projectResponse(
    { data, errors: options.errors ?? new FieldErrors() },
    projection,
    guard,
  );
  return { data: projected, errors: errors.map((error) => error.toJSON()) };
}

describe('projecting merged subgraph answers onto the client’s selection', () => {
  it('keeps only the selected fields, under their aliases and in the order asked', () => {
    // The plan's fetches keep the client's aliases: the merged answers are keyed by response keys.
    const result = project('{ product { n: name id __typename t: __typename } }', {
      product: { __typename: 'Product', id: 'p1', n: 'Table', price: 5, upc: 'internal' },
    });
    expect(JSON.stringify(result.data)).toBe(
      '{"product":{"n":"Table","id":"p1","__typename":"Product","t":"Product"}}',
    );
  });

  it('selects fields of fragments on abstract types by each object’s runtime type', () => {
    const result = project(
      `{ search { __typename ...on Node { id } ...on Product { name } ...U } }
       fragment U on User { name }`,
      {
        search: [
          { __typename: 'Product', id: 'p1', name: 'Table' },
          { __typename: 'User', id: 'u1', name: 'Ada' },
        ],
      },
    );
    expect(result.data).toEqual({
      search: [
        { __typename: 'Product', id: 'p1', name: 'Table' },
        { __typename: 'User', id: 'u1', name: 'Ada' },
      ],
    });
  });

  it('merges the sub-selections of one response key selected twice', () => {
    const result = project('{ product { reviews { id } ...on Product { reviews { body } } } }', {
      product: { __typename: 'Product', reviews: [{ id: 'r1', body: 'Good', stars: 5 }] },
    });
    expect(result.data).toEqual({ product: { reviews: [{ id: 'r1', body: 'Good' }] } });
  });

  it('applies @skip and @include with variables', () => {
    const query =
      'query($withName: Boolean!) { product { id name @include(if: $withName) price @skip(if: true) } }';
    const data = { product: { id: 'p1', name: 'Table', price: 5 } };
    expect(project(query, data, { variables: { withName: true } }).data).toEqual({
      product: { id: 'p1', name: 'Table' },
    });
    expect(project(query, data, { variables: { withName: false } }).data).toEqual({ product: { id: 'p1' } });
  });

  it('nulls the nearest nullable parent of a null non-null field, reporting it at the client’s path', () => {
    const result = project('{ items: products { name price } }', {
      items: [
        { name: 'Table', price: 5 },
        { name: 'Couch', price: null },
      ],
    });
    expect(result.data).toEqual({ items: [{ name: 'Table', price: 5 }, null] });
    expect(result.errors).toEqual([
      {
        message: 'Cannot return null for non-nullable field Product.price.',
        locations: [{ line: 1, column: 26 }],
        path: ['items', 1, 'price'],
      },
    ]);
  });

  it('nulls a whole list when a non-null item is null', () => {
    const result = project('{ product { reviews { body } } }', {
      product: { reviews: [{ body: 'Good' }, { body: null }] },
    });
    expect(result.data).toEqual({ product: { reviews: null } });
    expect(result.errors.map((error) => error.path)).toEqual([['product', 'reviews', 1, 'body']]);
  });

  it('answers data: null when a non-null root field is null', () => {
    const result = project('{ version product { name } }', { product: { name: 'Table' } });
    expect(result.data).toBeNull();
    expect(result.errors.map((error) => error.path)).toEqual([['version']]);
  });

  it('reports a subgraph error at every position it nulled, with the service name, and no non-null error on top', () => {
    const errors = new FieldErrors();
    const error = {
      message: 'price service down',
      extensions: { serviceName: 'pricing' },
      order: 0,
      state: { placed: false },
    };
    errors.add(error);
    const products = [{ name: 'Table' }, { name: 'Couch' }];
    // Pinned under the response key the plan fetched it with: the client's alias.
    const aliased = errors;
    for (const product of products) aliased.pin(product, 'cost', error, []);
    const reported = project('{ products { name cost: price } }', { products }, { errors: aliased });
    expect(reported.data).toEqual({ products: [null, null] });
    expect(reported.errors).toEqual([
      {
        message: 'price service down',
        path: ['products', 0, 'cost'],
        extensions: { serviceName: 'pricing' },
      },
      {
        message: 'price service down',
        path: ['products', 1, 'cost'],
        extensions: { serviceName: 'pricing' },
      },
    ]);
  });

  it('appends a subgraph error that no position claimed, without a path', () => {
    const errors = new FieldErrors();
    errors.add({
      message: 'deprecated call',
      extensions: { serviceName: 'products' },
      order: 0,
      state: { placed: false },
    });
    const result = project('{ product { name } }', { product: { name: 'Table' } }, { errors });
    expect(result.data).toEqual({ product: { name: 'Table' } });
    expect(result.errors).toEqual([{ message: 'deprecated call', extensions: { serviceName: 'products' } }]);
  });

  it('stops building with RESPONSE_TOO_LARGE once the response passes its byte limit', () => {
    const products = Array.from({ length: 100 }, (_, index) => ({ name: `Product ${index}` }));
    expect(() => project('{ products { name } }', { products }, { maxBytes: 500 })).toThrow(
      ResponseTooLargeError,
    );
  });
});
