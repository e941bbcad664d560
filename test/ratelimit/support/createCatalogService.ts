import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql } from 'graphql';
import type { SubgraphFetch } from '../../../src/subgraphs/SubgraphFetch.js';

export const CATALOG_URL = 'http://catalog.test/graphql';

const typeDefs = /* GraphQL */ `
  type Item {
    id: ID!
    name: String
    price: Int!
  }
  input ItemFilter {
    category: String!
  }
  type Query {
    item(id: ID!): Item
    itemsByIds(ids: [ID!]!): [Item]
    items(filter: ItemFilter): [Item!]!
    ping: String
  }
`;

/**
 * A plain GraphQL service for rate-limit tests, reached in-process through the returned `fetch`. Unlike the
 * benchmark mocks it has the shapes limits need: list arguments (`arrayLengthField`), input objects
 * (dotted `identityArgs`) and non-null fields (null propagation). Every query it receives is recorded.
 */
export function createCatalogService() {
  const items = ['1', '2', '3'].map((id) => ({ id, name: `item ${id}`, price: Number(id) * 100 }));
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: {
        item: (_: unknown, { id }: { id: string }) => items.find((item) => item.id === id) ?? null,
        itemsByIds: (_: unknown, { ids }: { ids: string[] }) =>
          ids.map((id) => items.find((item) => item.id === id) ?? null),
        items: () => items,
        ping: () => 'pong',
      },
    },
  });
  const queries: string[] = [];
  const fetch: SubgraphFetch = async (url, init) => {
    if (url !== CATALOG_URL) throw new TypeError(`fetch failed: nothing at ${url}`);
    const { query, variables } = JSON.parse(init.body) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    if (!query.includes('__schema')) queries.push(query);
    const result = await graphql({ schema, source: query, variableValues: variables ?? null });
    return { status: 200, text: async () => JSON.stringify(result) };
  };
  return { fetch, queries };
}
