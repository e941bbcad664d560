import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkFederation } from '../../support/linkFederation.js';
import { startFederationGateway, type FederationGateway } from '../../support/startFederationGateway.js';

/** Every mutation resolver writes here when it starts and when it ends, across both subgraphs. */
const events: string[] = [];
const users: Array<{ id: string; name: string }> = [];
let nextOrder = 1;

/** Starts, yields to the event loop (so anything sent beside it would start now), then ends. */
async function record<T>(name: string, work: () => T): Promise<T> {
  events.push(`start ${name}`);
  await new Promise((resolve) => setImmediate(resolve));
  events.push(`end ${name}`);
  return work();
}

const graph = {
  accounts: {
    sdl: `${linkFederation(['key'])}
      type User @key(fields: "id") { id: ID!, name: String }
      type Query { userCount: Int }
      type Mutation { createUser(name: String!): User }`,
    resolvers: {
      Query: { userCount: () => users.length },
      Mutation: {
        createUser: (_: unknown, { name }: { name: string }) =>
          record(`createUser ${name}`, () => {
            const user = { id: `u${users.length + 1}`, name };
            users.push(user);
            return user;
          }),
      },
      User: { __resolveReference: (ref: { id: string }) => users.find((user) => user.id === ref.id) },
    },
  },
  orders: {
    sdl: `${linkFederation(['key'])}
      type User @key(fields: "id") { id: ID! }
      type Order { id: ID!, item: String, buyer: User }
      type Mutation { placeOrder(item: String!, buyerId: ID!): Order }`,
    resolvers: {
      Mutation: {
        placeOrder: (_: unknown, { item, buyerId }: { item: string; buyerId: string }) =>
          record(`placeOrder ${item}`, () => ({ id: `o${nextOrder++}`, item, buyer: { id: buyerId } })),
      },
    },
  },
};

describe('mutations', () => {
  let gateway: FederationGateway;
  beforeAll(async () => {
    gateway = await startFederationGateway(graph);
  });
  afterAll(() => gateway.close());

  it('runs root mutation fields one after the other, in document order, across subgraphs', async () => {
    events.length = 0;
    const answer = await gateway.post(
      `mutation ($item: String!) {
      first: createUser(name: "Ada") { id name }
      order: placeOrder(item: $item, buyerId: "u1") { id item buyer { name } }
      second: createUser(name: "Grace") { id }
    }`,
      { item: 'lamp' },
    );
    expect(answer.body).toEqual({
      data: {
        first: { id: 'u1', name: 'Ada' },
        order: { id: 'o1', item: 'lamp', buyer: { name: 'Ada' } },
        second: { id: 'u2' },
      },
    });
    expect(events).toEqual([
      'start createUser Ada',
      'end createUser Ada',
      'start placeOrder lamp',
      'end placeOrder lamp',
      'start createUser Grace',
      'end createUser Grace',
    ]);
    expect(answer.path).toBe('plan');
    // accounts, orders, then accounts twice: the next mutation, and (beside it) the buyer's name.
    expect(answer.subgraphQueries.orders).toHaveLength(1);
    expect(answer.subgraphRequests).toBe(4);
  });

  it('sees the writes of a mutation in a query that follows it', async () => {
    const before = await gateway.post('{ userCount }');
    const created = await gateway.post('mutation { createUser(name: "Lin") { name } }');
    const after = await gateway.post('{ userCount }');
    expect(created.body).toEqual({ data: { createUser: { name: 'Lin' } } });
    expect(created.path).toBe('plan');
    expect(after.body).toEqual({
      data: { userCount: (before.body.data as { userCount: number }).userCount + 1 },
    });
    expect(after.path).toBe('plan');
  });
});
