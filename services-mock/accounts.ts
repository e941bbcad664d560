import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../src/generated/services-mock/accounts.js';
import type { BenchData } from './BenchData.js';
import { buildMockSubgraphSchema } from './buildMockSubgraphSchema.js';

/**
 * accounts (Federation v2): owns `User`. `me` is the user named by the `x-user-id` request header (as if an
 * upstream had authenticated the caller), else the first user; tests use it to prove that one caller never
 * receives another's data.
 */
export function createAccountsSchema(data: BenchData): GraphQLSchema {
  const usersById = new Map(data.users.map((user) => [user.id, user]));
  const resolvers: Resolvers = {
    Query: {
      me: (_, __, { headers }) => {
        const userId = headers['x-user-id'];
        return (userId === undefined ? data.users[0] : usersById.get(userId)) ?? null;
      },
      user: (_, { id }) => usersById.get(id) ?? null,
      users: () => data.users,
    },
    User: {
      __resolveReference: ({ id }) => usersById.get(id) ?? null,
    },
  };
  return buildMockSubgraphSchema('accounts', resolvers);
}
