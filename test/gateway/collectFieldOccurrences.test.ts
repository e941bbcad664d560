import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { collectFieldOccurrences } from '../../src/gateway/collectFieldOccurrences.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type User implements Node { id: ID!, email: String, friends(first: Int = 10): [User] }
  type Query { user(id: ID!): User, node(id: ID!): Node }
`);

function occurrences(source: string, variables: Record<string, unknown> = {}) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return collectFieldOccurrences({ schema, operation, fragments, variables }).map((o) => [
    o.responsePath.join('.'),
    o.coordinate,
    o.args,
  ]);
}

describe('collectFieldOccurrences', () => {
  it('counts every alias separately and applies argument defaults and variables', () => {
    expect(
      occurrences(
        'query($n: Int) { a: user(id: "1") { email } b: user(id: "2") { friends(first: $n) { id } friends { id } } }',
        { n: 3 },
      ),
    ).toEqual([
      ['a', 'Query.user', { id: '1' }],
      ['a.email', 'User.email', {}],
      ['b', 'Query.user', { id: '2' }],
      ['b.friends', 'User.friends', { first: 3 }],
      ['b.friends.id', 'User.id', {}],
      ['b.friends', 'User.friends', { first: 10 }],
      ['b.friends.id', 'User.id', {}],
    ]);
  });

  it('expands named and inline fragments, with their type conditions, once per spread', () => {
    expect(
      occurrences(
        '{ node(id: "1") { ...U ... on User { email } } user(id: "2") { ...U } } fragment U on User { email }',
      ),
    ).toEqual([
      ['node', 'Query.node', { id: '1' }],
      ['node.email', 'User.email', {}],
      ['node.email', 'User.email', {}],
      ['user', 'Query.user', { id: '2' }],
      ['user.email', 'User.email', {}],
    ]);
  });

  it('leaves out what @skip and @include exclude, and introspection fields', () => {
    expect(
      occurrences(
        'query($no: Boolean!) { __typename user(id: "1") { email @skip(if: true) id @include(if: $no) __typename } }',
        { no: false },
      ),
    ).toEqual([['user', 'Query.user', { id: '1' }]]);
  });
});
