import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../src/generated/services-mock/products.js';
import type { BenchData } from './BenchData.js';
import { buildMockSubgraphSchema } from './buildMockSubgraphSchema.js';

/** products (Federation v2): owns `Product` (name, price, weight). `topProducts` is the first `first` rows. */
export function createProductsSchema(data: BenchData): GraphQLSchema {
  const productsByUpc = new Map(data.products.map((product) => [product.upc, product]));
  const resolvers: Resolvers = {
    Query: {
      // `first` has a default in the SDL, so graphql-js always passes it unless the client sends null.
      topProducts: (_, { first }) => data.products.slice(0, Math.max(0, first ?? 5)),
    },
    Product: {
      __resolveReference: ({ upc }) => productsByUpc.get(upc) ?? null,
    },
  };
  return buildMockSubgraphSchema('products', resolvers);
}
