import { makeExecutableSchema } from '@graphql-tools/schema';
import {
  execute,
  Kind,
  parse,
  print,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { collectFieldOccurrences, type FieldOccurrence } from '../../src/gateway/collectFieldOccurrences.js';
import { denyFields, isFieldDenied, listFieldDenials } from '../../src/gateway/denyFields.js';
import { cutDeniedFields } from '../../src/gateway/cutDeniedFields.js';

const calls: string[] = [];
const users = [
  { id: '1', email: 'a@x', name: 'A' },
  { id: '2', email: 'b@x', name: 'B' },
];
const schema = makeExecutableSchema({
  typeDefs: /* GraphQL */ `
    interface Named {
      name: String
    }
    type Pet implements Named {
      name: String
      nick: String
    }
    type User implements Named {
      id: ID!
      email: String
      name: String
      tag: String!
    }
    type Query {
      user(id: ID!): User
      users: [User]
      strictUsers: [User!]!
      secret: String!
      greeting: String
      named: [Named]
    }
  `,
  resolvers: {
    Query: {
      user: (_: unknown, { id }: { id: string }) => {
        calls.push(`user(${id})`);
        return users.find((user) => user.id === id);
      },
      users: () => users,
      strictUsers: () => users,
      secret: () => {
        calls.push('secret');
        return 's3cret';
      },
      greeting: () => 'hello',
      named: () => [users[0], { name: 'Rex', nick: 'rexy' }],
    },
    Named: {
      __resolveType: (value: object) => ('nick' in value ? 'Pet' : 'User'),
    },
    User: {
      email: (user: { email: string }) => {
        calls.push('email');
        return user.email;
      },
      tag: () => 'tag',
    },
  },
});

const REASON = { message: 'no', extensions: { code: 'FORBIDDEN' } };

/** Runs `source` with the selections whose path (dotted) is in `denied` denied, as the gateway executor does. */
async function run(
  source: string,
  denied: readonly string[],
  variables: Record<string, unknown> = {},
  deniedWithVariables: Record<string, unknown> = variables,
  which: (occurrence: FieldOccurrence) => boolean = () => true,
) {
  calls.length = 0;
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const context = {};
  const occurrences = collectFieldOccurrences({
    schema,
    operation,
    fragments,
    variables: deniedWithVariables,
  });
  denyFields(
    context,
    occurrences.filter(
      (occurrence) => denied.includes(occurrence.responsePath.join('.')) && which(occurrence),
    ),
    REASON,
  );
  const cut = cutDeniedFields({ schema, document, operation, denials: listFieldDenials(context) })!;
  const result = await execute({ schema, document: cut.document, variableValues: variables });
  const completed = cut.complete(result);
  return {
    data: completed.data,
    errors: completed.errors?.map((error) => ({ path: error.path, code: error.extensions.code })),
    locations: completed.errors?.map((error) => error.locations),
    executed: cut.document,
  };
}

describe('field denials', () => {
  it('answers a denied field null with the error at its path and runs nothing for it, the rest as usual', async () => {
    const result = await run('{ user(id: "1") { name } greeting }', ['user']);
    expect(result.data).toEqual({ user: null, greeting: 'hello' });
    expect(result.errors).toEqual([{ path: ['user'], code: 'FORBIDDEN' }]);
    expect(result.locations).toEqual([[{ line: 1, column: 3 }]]);
    expect(calls).toEqual([]);
  });

  it('keeps the response order and a valid selection set when a denial leaves a selection set empty', async () => {
    const result = await run('{ user(id: "1") { email } greeting }', ['user.email']);
    expect(JSON.stringify(result.data)).toBe('{"user":{"email":null},"greeting":"hello"}');
    expect(calls).toEqual(['user(1)']);
    expect(print(result.executed)).toContain('email: __typename');
  });

  it('puts an error at every list position of a denied field', async () => {
    const result = await run('{ users { name email } }', ['users.email']);
    expect(result.data).toEqual({
      users: [
        { name: 'A', email: null },
        { name: 'B', email: null },
      ],
    });
    expect(result.errors).toEqual([
      { path: ['users', 0, 'email'], code: 'FORBIDDEN' },
      { path: ['users', 1, 'email'], code: 'FORBIDDEN' },
    ]);
    expect(calls).toEqual([]);
  });

  it('nulls the nearest nullable parent of a denied non-null field, up to the root when nothing is nullable', async () => {
    expect((await run('{ user(id: "1") { id name } }', ['user.id'])).data).toEqual({ user: null });
    const strict = await run('{ strictUsers { tag } greeting }', ['strictUsers.tag']);
    expect(strict.data).toBeNull();
    expect(strict.errors).toEqual([{ path: ['strictUsers', 0, 'tag'], code: 'FORBIDDEN' }]);
    expect((await run('{ secret greeting }', ['secret'])).data).toBeNull();
  });

  it('denies a fragment field where it is denied and answers it where the same fragment is not', async () => {
    const result = await run(
      '{ a: user(id: "1") { ...F } b: user(id: "2") { ...F } } fragment F on User { email }',
      ['a.email'],
    );
    expect(result.data).toEqual({ a: { email: null }, b: { email: 'b@x' } });
    expect(result.errors).toEqual([{ path: ['a', 'email'], code: 'FORBIDDEN' }]);
    expect(calls).toEqual(['user(1)', 'user(2)', 'email']);
  });

  it('reports nothing for a denied field that @skip leaves out, nor under a parent that came back null', async () => {
    // Denied as if it were selected (s: false), executed with s: true: the placeholder is skipped too.
    const skipped = await run(
      'query($s: Boolean!) { user(id: "1") { name email @skip(if: $s) } }',
      ['user.email'],
      { s: true },
      { s: false },
    );
    expect(skipped).toMatchObject({ data: { user: { name: 'A' } }, errors: undefined });
    const missing = await run('{ user(id: "404") { email } }', ['user.email']);
    expect(missing).toMatchObject({ data: { user: null }, errors: undefined });
  });

  it('nulls a response key only for the type whose field is denied when type conditions share it', async () => {
    const result = await run(
      '{ named { name ... on User { x: email } ... on Pet { x: nick } } greeting }',
      ['named.x'],
      {},
      {},
      (occurrence) => occurrence.coordinate === 'User.email',
    );
    expect(JSON.stringify(result.data)).toBe(
      '{"named":[{"name":"A","x":null},{"name":"Rex","x":"rexy"}],"greeting":"hello"}',
    );
    expect(result.errors).toEqual([{ path: ['named', 0, 'x'], code: 'FORBIDDEN' }]);
    expect(calls).toEqual([]);
  });

  it('keeps the first denial of a path and sees denials of ancestors', () => {
    const context = {};
    const node = parse('{ a }').definitions[0] as OperationDefinitionNode;
    const field = node.selectionSet.selections[0] as never;
    const user = { responsePath: ['user'], coordinate: 'Query.user', node: field };
    denyFields(context, [user], REASON);
    denyFields(context, [user], { message: 'later', extensions: { code: 'X' } });
    expect(listFieldDenials(context).map((denial) => denial.reason.message)).toEqual(['no']);
    expect(isFieldDenied(context, ['user', 'email'])).toBe(true);
    expect(isFieldDenied(context, ['users'])).toBe(false);
    expect(isFieldDenied({}, ['user'])).toBe(false);
  });

  it('leaves the document alone when nothing is denied', () => {
    const document: DocumentNode = parse('{ greeting }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(cutDeniedFields({ schema, document, operation, denials: [] })).toBeUndefined();
  });
});
