import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../src/generated/services-mock/inventory.js';
import type { BenchData, InventoryRow } from './BenchData.js';
import { buildMockSubgraphSchema } from './buildMockSubgraphSchema.js';

/** inventory (Federation v2): adds `inStock` and `shippingEstimate` to `Product`. */
export function createInventorySchema(data: BenchData): GraphQLSchema {
  const rowsByUpc = new Map(data.inventory.map((row) => [row.upc, row]));
  const resolvers: Resolvers = {
    Product: {
      __resolveReference: ({ upc }) => rowsByUpc.get(upc) ?? null,
      // Like the benchmark's reference service, this reads price and weight from inventory's own row (null in
      // the reference data), not from the @requires representation: expected-response.json has null here.
      shippingEstimate: (row) => estimateShipping(row),
    },
  };
  return buildMockSubgraphSchema('inventory', resolvers);
}

function estimateShipping({ price, weight }: InventoryRow): number | null {
  if (price !== null && price > 1000) return 0;
  return weight === null ? null : Math.round(weight / 2);
}
