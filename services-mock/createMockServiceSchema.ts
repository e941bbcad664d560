import type { GraphQLSchema } from 'graphql';
import { createAccountsSchema } from './accounts.js';
import type { BenchData } from './BenchData.js';
import { createInventorySchema } from './inventory.js';
import type { MockServiceName } from './MockServiceName.js';
import { createProductsSchema } from './products.js';
import { createReviewsSchema } from './reviews.js';
import { createShippingSchema } from './shipping.js';

/** The executable schema of one mock service over a data set. */
export function createMockServiceSchema(name: MockServiceName, data: BenchData): GraphQLSchema {
  switch (name) {
    case 'accounts':
      return createAccountsSchema(data);
    case 'products':
      return createProductsSchema(data);
    case 'inventory':
      return createInventorySchema(data);
    case 'reviews':
      return createReviewsSchema(data);
    case 'shipping':
      return createShippingSchema(data);
    default:
      return assertNever(name);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown mock service: ${String(value)}`);
}
