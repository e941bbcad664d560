import { readFileSync } from 'node:fs';
import { resolvePackageFile } from '../src/config/resolvePackageFile.js';
import type { BenchData, InventoryRow, ProductRow, ReviewRow, UserRow } from './BenchData.js';

/**
 * The benchmark's reference rows, copied from graphql-gateways-benchmark (commit 67f75b8) into
 * `services-mock/data/`. Served as they are, they make the benchmark's `TestQuery` answer exactly
 * `services-mock/data/expected-response.json`. Each call returns fresh objects.
 */
export function loadReferenceData(): BenchData {
  return {
    users: readRows('users.json', isUserRow),
    products: readRows('products.json', isProductRow),
    inventory: readRows('inventory.json', isInventoryRow),
    reviews: readRows('reviews.json', isReviewRow),
  };
}

function readRows<Row>(fileName: string, isRow: (value: unknown) => value is Row): Row[] {
  const file = resolvePackageFile('services-mock', 'data', fileName);
  const rows = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(rows)) throw new Error(`${file}: expected a JSON array of rows`);
  return rows.map((row: unknown, index) => {
    if (!isRow(row))
      throw new Error(`${file}: row ${index} does not have the expected shape: ${JSON.stringify(row)}`);
    return row;
  });
}

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isNumberOrNull(value: unknown): value is number | null {
  return value === null || typeof value === 'number';
}

function isUserRow(value: unknown): value is UserRow {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.name === 'string' &&
    typeof value.username === 'string' &&
    typeof value.birthday === 'number'
  );
}

function isProductRow(value: unknown): value is ProductRow {
  return (
    isObject(value) &&
    typeof value.upc === 'string' &&
    typeof value.name === 'string' &&
    typeof value.price === 'number' &&
    typeof value.weight === 'number'
  );
}

function isInventoryRow(value: unknown): value is InventoryRow {
  return (
    isObject(value) &&
    typeof value.upc === 'string' &&
    typeof value.inStock === 'boolean' &&
    isNumberOrNull(value.price) &&
    isNumberOrNull(value.weight)
  );
}

function isReviewRow(value: unknown): value is ReviewRow {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.body === 'string' &&
    typeof value.productUpc === 'string'
  );
}
