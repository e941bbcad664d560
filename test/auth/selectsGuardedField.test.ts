import { buildSchema, parse, type GraphQLCompositeType, type GraphQLField } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { AuthorizationRules, Requirement } from '../../src/auth/collectAuthorizationRules.js';
import { selectsGuardedField } from '../../src/auth/selectsGuardedField.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type User implements Node { id: ID! name: String birthday: String }
  type Product implements Node { id: ID! upc: String }
  union Result = User | Product
  type Query { me: User node(id: ID!): Node search: [Result] products: [Product] }
`);

/** Rules guarding exactly these coordinates, counting how often they are asked. */
function rulesGuarding(...coordinates: string[]): AuthorizationRules & { asked: number } {
  const requirement: Requirement = { kind: 'authenticated', declaredOn: 'test' };
  const rules = {
    asked: 0,
    isEmpty: coordinates.length === 0,
    requirementsFor(parentType: GraphQLCompositeType, field: GraphQLField<unknown, unknown>) {
      rules.asked += 1;
      return coordinates.includes(`${parentType.name}.${field.name}`) ? [requirement] : [];
    },
  };
  return rules;
}

describe('selectsGuardedField', () => {
  it('is false for a document that selects no guarded field', () => {
    const rules = rulesGuarding('User.birthday');
    expect(selectsGuardedField(parse('{ products { id upc } }'), schema, rules)).toBe(false);
  });

  it('finds a guarded field in a fragment, an inline fragment on a union member and behind @skip', () => {
    const rules = rulesGuarding('User.birthday');
    const documents = [
      'query { me { ...F } } fragment F on User { birthday }',
      'query { search { ... on User { birthday } } }',
      'query ($s: Boolean!) { me { birthday @skip(if: $s) } }',
      'query { node(id: "1") { ... on User { b: birthday } } }',
    ];
    for (const text of documents) expect(selectsGuardedField(parse(text), schema, rules), text).toBe(true);
  });

  it('answers true for a field it cannot resolve, leaving the decision to the full check', () => {
    expect(selectsGuardedField(parse('{ unknownField }'), schema, rulesGuarding('User.birthday'))).toBe(true);
  });

  it('works the answer out once per document and rules', () => {
    const rules = rulesGuarding('User.birthday');
    const document = parse('{ me { id name } products { upc } }');
    expect(selectsGuardedField(document, schema, rules)).toBe(false);
    const asked = rules.asked;
    expect(selectsGuardedField(document, schema, rules)).toBe(false);
    expect(rules.asked).toBe(asked);
    // Other rules (a reloaded graph) get their own answer.
    expect(selectsGuardedField(document, schema, rulesGuarding('User.name'))).toBe(true);
  });
});
