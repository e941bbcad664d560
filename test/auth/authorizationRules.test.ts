import { buildSchema, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { collectAuthorizationRules } from '../../src/auth/collectAuthorizationRules.js';
import { evaluateRequirements, type AuthorizationSubject } from '../../src/auth/evaluateRequirements.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createLogger } from '../../src/observability/createLogger.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type User implements Node { id: ID!, email: String, ssn: String }
  type Invoice implements Node { id: ID!, total: Int }
  scalar Money
  type Query { me: User, node(id: ID!): Node, price: Money, invoices: [Invoice], open: String }
`);

function rulesOf(sdl: Record<string, string>, auth: Record<string, unknown> = {}) {
  const { auth: settings } = parseConfig(
    { subgraphs: [{ name: 'a', url: 'http://a.test/graphql' }], auth },
    'test',
    {},
  );
  const rules = collectAuthorizationRules(
    { schema, directiveSources: Object.entries(sdl).map(([name, text]) => ({ name, sdl: text })) },
    settings,
    createLogger('silent'),
  );
  const coordinatesFor = (typeName: string, fieldName: string) => {
    const type = schema.getType(typeName) as GraphQLObjectType;
    return rules
      .requirementsFor(type, type.getFields()[fieldName]!)
      .map((requirement) =>
        requirement.kind === 'authenticated'
          ? `@authenticated on ${requirement.declaredOn}`
          : `${requirement.kind} ${JSON.stringify(requirement.anyOf)} on ${requirement.declaredOn}`,
      );
  };
  return { rules, coordinatesFor };
}

const FEDERATION_LINK = (imports: string) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ${imports})`;

describe('authorization rules of a graph', () => {
  it('reads the directives under their own names, @link aliases and the federation__ prefix', () => {
    const { coordinatesFor } = rulesOf({
      users: `${FEDERATION_LINK('["@key", { name: "@requiresScopes", as: "@scopes" }]')}
        type User @key(fields: "id") @federation__authenticated { id: ID!, email: String @scopes(scopes: [["email"]]) }`,
      billing: `${FEDERATION_LINK('["@policy"]')}
        type Invoice @policy(policies: [["isOwner"]]) { id: ID!, total: Int }`,
    });
    expect(coordinatesFor('User', 'email')).toEqual([
      '@authenticated on User',
      'scopes [["email"]] on User.email',
    ]);
    expect(coordinatesFor('Invoice', 'total')).toEqual(['policies [["isOwner"]] on Invoice']);
    expect(coordinatesFor('Query', 'invoices')).toEqual(['policies [["isOwner"]] on Invoice']);
    expect(coordinatesFor('Query', 'open')).toEqual([]);
  });

  it('reads single values as GraphQL input coercion does, and an unreadable rule as one that denies', () => {
    const { coordinatesFor } = rulesOf({
      a: `type User { id: ID!, email: String @requiresScopes(scopes: "email"), ssn: String @requiresScopes(scopes: ["a", "b"]) }
          type Invoice { id: ID!, total: Int @requiresScopes(scopes: [[1]]) }`,
    });
    expect(coordinatesFor('User', 'email')).toEqual(['scopes [["email"]] on User.email']);
    expect(coordinatesFor('User', 'ssn')).toEqual(['scopes [["a"],["b"]] on User.ssn']);
    expect(coordinatesFor('Invoice', 'total')).toEqual(['scopes [] on Invoice.total']);
  });

  it('makes a field selected on an interface need what each implementation needs', () => {
    const { coordinatesFor } = rulesOf({ a: 'type User @authenticated { id: ID! }' });
    expect(coordinatesFor('Node', 'id')).toEqual(['@authenticated on User']);
    expect(coordinatesFor('Invoice', 'id')).toEqual([]);
  });

  it('makes an implementation need what its interface’s field needs, and a field need what its scalar needs', () => {
    const { coordinatesFor } = rulesOf({
      a: 'interface Node { id: ID! @authenticated } scalar Money @requiresScopes(scopes: [["billing"]])',
    });
    expect(coordinatesFor('Invoice', 'id')).toEqual(['@authenticated on Node.id']);
    expect(coordinatesFor('Query', 'price')).toEqual(['scopes [["billing"]] on Money']);
  });

  it('adds the rules the config gives by coordinate', () => {
    const { coordinatesFor, rules } = rulesOf(
      {},
      {
        policies: { isAdmin: { claim: 'role', equals: 'admin' } },
        directives: { 'Query.open': { authenticated: true, requiresScopes: [['x']], policy: [['isAdmin']] } },
      },
    );
    expect(rules.isEmpty).toBe(false);
    expect(coordinatesFor('Query', 'open')).toEqual([
      '@authenticated on Query.open',
      'scopes [["x"]] on Query.open',
      'policies [["isAdmin"]] on Query.open',
    ]);
  });

  it('is empty for a graph without authorization', () => {
    expect(rulesOf({ a: 'type Query { open: String }' }).rules.isEmpty).toBe(true);
  });
});

describe('evaluateRequirements', () => {
  const anonymous: AuthorizationSubject = { claims: undefined, scopes: new Set() };
  const caller = (scopes: string[], claims: Record<string, unknown> = {}): AuthorizationSubject => ({
    claims: { sub: 'u1', ...claims },
    scopes: new Set(scopes),
  });
  const target = { coordinate: 'Query.report', args: { id: 'u1' } };
  const noPolicyError = () => {
    throw new Error('no policy should fail here');
  };

  it('decides synchronously when no policy function is involved (rate limits rely on it)', () => {
    const decision = evaluateRequirements(
      [
        { kind: 'authenticated', declaredOn: 'Query.report' },
        { kind: 'scopes', anyOf: [['a', 'b'], ['c']], declaredOn: 'Query.report' },
        { kind: 'policies', anyOf: [['sameUser']], declaredOn: 'Query.report' },
      ],
      caller(['c']),
      target,
      { sameUser: { claim: 'sub', equalsArgument: 'id' } },
      noPolicyError,
    );
    expect(decision).toEqual({ allowed: true });
  });

  it('requires every requirement, each an OR of ANDs', () => {
    const scopes = [{ kind: 'scopes', anyOf: [['a', 'b'], ['c']], declaredOn: 'Query.report' }] as const;
    const decide = (subject: AuthorizationSubject) =>
      evaluateRequirements(scopes, subject, target, {}, noPolicyError);
    expect(decide(caller(['a', 'b']))).toEqual({ allowed: true });
    expect(decide(caller(['c']))).toEqual({ allowed: true });
    expect(decide(caller(['a']))).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      failed: 'scopes',
      message: 'Query.report requires the scopes a and b, or c',
    });
    expect(decide(anonymous)).toMatchObject({ allowed: false, code: 'UNAUTHENTICATED' });
  });

  it('waits for asynchronous policy functions, and denies when one rejects or a policy is unknown', async () => {
    const errors: string[] = [];
    const decide = (anyOf: string[][]) =>
      evaluateRequirements(
        [{ kind: 'policies', anyOf, declaredOn: 'Query.report' }],
        caller([]),
        target,
        {
          slowYes: async () => true,
          slowNo: async () => false,
          rejects: async () => Promise.reject(new Error('down')),
        },
        (policy) => errors.push(policy),
      );
    const pending = decide([['slowYes']]);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual({ allowed: true });
    expect(await decide([['slowYes', 'slowNo']])).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(await decide([['rejects'], ['slowYes']])).toEqual({ allowed: true });
    expect(errors).toEqual(['rejects']);
    expect(await decide([['undefinedPolicy']])).toMatchObject({
      allowed: false,
      message: 'Query.report is not allowed by policy undefinedPolicy',
    });
  });
});
