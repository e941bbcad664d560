import { makeExecutableSchema } from '@graphql-tools/schema';
import { stitchingDirectives } from '@graphql-tools/stitching-directives';
import type { GraphQLSchema } from 'graphql';
import type { ProductKey, Resolvers, ShippingOption } from '../src/generated/services-mock/shipping.js';
import type { BenchData } from './BenchData.js';
import { readServiceSdl } from './readServiceSdl.js';
import { hashString } from './seededRandom.js';

const { stitchingDirectivesTypeDefs, stitchingDirectivesValidator } = stitchingDirectives();

interface Carrier {
  readonly name: string;
  readonly baseCents: number;
  readonly days: number;
}

const CARRIERS: readonly Carrier[] = [
  { name: 'Postal', baseCents: 499, days: 5 },
  { name: 'Courier', baseCents: 1299, days: 2 },
  { name: 'Freight', baseCents: 2499, days: 8 },
];

/** Cost per unit of the products subgraph's `weight`, on top of the cheapest option. */
const CENTS_PER_WEIGHT_UNIT = 2;

/**
 * shipping: a plain GraphQL service, not a Federation subgraph (no `_service`, no `_entities`). A gateway
 * merges it through the stitching directives of its SDL, which it reads from `Query._sdl`:
 * `Product` is keyed by `upc`, `_productsByUpc(keys:)` is the merge entry point, and `shippingCostCents`
 * needs `weight`, which the products subgraph owns. Every value is derived from the key, so it is stable.
 * Products unknown to the data set resolve to null.
 */
export function createShippingSchema(data: BenchData): GraphQLSchema {
  const knownUpcs = new Set(data.products.map((product) => product.upc));
  const sdl = `${stitchingDirectivesTypeDefs}\n${readServiceSdl('shipping')}`;
  const resolvers: Resolvers = {
    Query: {
      _productsByUpc: (_, { keys }) => keys.map((key) => (knownUpcs.has(key.upc) ? key : null)),
      carriers: () => CARRIERS.map((carrier) => carrier.name),
      _sdl: () => sdl,
    },
    Product: {
      shippingOptions: ({ upc }) => listShippingOptions(upc),
      shippingCostCents: (key) => computeShippingCostCents(key),
    },
  };
  return stitchingDirectivesValidator(makeExecutableSchema({ typeDefs: sdl, resolvers }));
}

/** Every carrier, cheapest first; cost and days vary a little per upc. */
function listShippingOptions(upc: string): ShippingOption[] {
  const spread = hashString(upc);
  return CARRIERS.map((carrier, index) => ({
    carrier: carrier.name,
    days: carrier.days + ((spread >>> (index * 2)) % 3),
    costCents: carrier.baseCents + ((spread >>> (index * 8)) % 500),
  })).sort((a, b) => a.costCents - b.costCents || a.carrier.localeCompare(b.carrier));
}

function computeShippingCostCents({ upc, weight }: ProductKey): number | null {
  if (weight === null || weight === undefined) return null;
  const cheapest = listShippingOptions(upc)[0];
  return cheapest ? cheapest.costCents + weight * CENTS_PER_WEIGHT_UNIT : null;
}
