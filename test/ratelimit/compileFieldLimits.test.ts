import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileFieldLimits } from '../../src/ratelimit/compileFieldLimits.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type User implements Node { id: ID!, email: String, name: String }
  type Product implements Node { id: ID!, name: String }
  union Result = User | Product
  type Query { node(id: ID!): Node, users(ids: [ID!]!, first: Int): [User], search: [Result] }
`);

const usage = (coordinate: string, args: Record<string, unknown>, source = 'accounts') => ({
  coordinate,
  args,
  source,
});

describe('compileFieldLimits', () => {
  it('reads SDL limits, lets the config win, and spreads a type limit over its fields that have none', () => {
    const { limits, issues } = compileFieldLimits(
      schema,
      [
        usage('Query.users', { max: 5, window: '1m', arrayLengthField: 'ids', identityArgs: ['first'] }),
        usage('User', { max: 2, window: '10s' }),
        usage('User.email', { max: 1, window: '1h', message: 'slow down' }),
      ],
      { 'Query.users': { max: 50, window: '1h', identityArgs: [] } },
    );
    expect(issues).toEqual([]);
    const users = schema.getQueryType()!;
    const user = schema.getType('User') as never;
    expect(limits.limitsFor(users, 'users')).toEqual([
      expect.objectContaining({ coordinate: 'Query.users', max: 50, windowSec: 3_600, source: 'config' }),
    ]);
    expect(limits.limitsFor(user, 'name')).toEqual([
      expect.objectContaining({ coordinate: 'User.name', max: 2, windowSec: 10 }),
    ]);
    expect(limits.limitsFor(user, 'email')).toEqual([
      expect.objectContaining({ coordinate: 'User.email', max: 1, message: 'slow down' }),
    ]);
    expect(limits.limitsFor(schema.getType('Product') as never, 'name')).toEqual([]);
  });

  it('applies the limits of every possible type to a selection through an interface or union, and an interface limit to its implementations', () => {
    const { limits } = compileFieldLimits(
      schema,
      [usage('User.name', { max: 1, window: '1m' }), usage('Node.id', { max: 9, window: '1m' })],
      {},
    );
    expect(limits.limitsFor(schema.getType('Node') as never, 'id').map((limit) => limit.coordinate)).toEqual([
      'Node.id',
    ]);
    expect(
      limits.limitsFor(schema.getType('Result') as never, 'name').map((limit) => limit.coordinate),
    ).toEqual(['User.name']);
    expect(
      limits.limitsFor(schema.getType('Product') as never, 'id').map((limit) => limit.coordinate),
    ).toEqual(['Node.id']);
  });

  it('reports declarations it cannot honour and leaves them out', () => {
    const { limits, issues } = compileFieldLimits(
      schema,
      [
        usage('Query.users', { max: 0, window: '1 fortnight' }),
        usage('Query.node', { max: 1, window: '1m', identityArgs: ['nope'] }, 'a'),
        usage('Query.node', { max: 2, window: '1m' }, 'b'),
        usage('Query.search', { max: 1, window: '1m', arrayLengthField: 'missing' }),
        usage('Hidden.field', { max: 1, window: '1m' }),
      ],
      {
        'Query.nothing': { max: 1, window: '1m', identityArgs: [] },
        'User.name': { max: 1, window: '1m', arrayLengthField: 'x', identityArgs: [] },
      },
    );
    expect(issues.map(({ coordinate, source }) => `${source}:${coordinate}`)).toEqual([
      'b:Query.node',
      'accounts:Query.users',
      'a:Query.node',
      'accounts:Query.search',
      'config:Query.nothing',
      'config:User.name',
    ]);
    expect(issues[1]!.message).toContain('max must be a positive integer');
    expect(issues[1]!.message).toContain('window must be like');
    expect(limits.isEmpty).toBe(true);
  });
});
