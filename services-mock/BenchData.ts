/**
 * Row shapes of the standard gateway benchmark's data files (graphql-hive/graphql-gateways-benchmark),
 * as the four Federation subgraphs serve them. `services-mock/data/*.json` hold the reference rows.
 */
export interface UserRow {
  readonly id: string;
  readonly name: string;
  readonly username: string;
  readonly birthday: number;
}

export interface ProductRow {
  readonly upc: string;
  readonly name: string;
  readonly price: number;
  readonly weight: number;
}

/** inventory's own copy of a product. The reference rows leave `price` and `weight` null. */
export interface InventoryRow {
  readonly upc: string;
  readonly inStock: boolean;
  readonly price: number | null;
  readonly weight: number | null;
}

export interface ReviewRow {
  readonly id: string;
  readonly body: string;
  readonly productUpc: string;
}

/** The rows every mock service is built from; each service reads the lists it owns. */
export interface BenchData {
  readonly users: readonly UserRow[];
  readonly products: readonly ProductRow[];
  readonly inventory: readonly InventoryRow[];
  readonly reviews: readonly ReviewRow[];
}
