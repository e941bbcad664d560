import type { BenchData, InventoryRow, ProductRow, ReviewRow, UserRow } from './BenchData.js';
import { createSeededRandom, type RandomSource } from './seededRandom.js';

export interface GenerateBenchDataOptions {
  /** Number of users; at least 1, because reviews' authors are always the first user. */
  readonly users: number;
  /** Number of products; inventory gets one row per product. At least 1 when `reviews` > 0. */
  readonly products: number;
  /** Number of reviews, each on a product drawn at random. */
  readonly reviews: number;
  /** PRNG seed. Default 1. */
  readonly seed?: number;
}

const FIRST_NAMES = ['Uri', 'Dotan', 'Kamil', 'Arda', 'Gil', 'Laurin', 'Ada', 'Grace', 'Linus', 'Margaret'];
const LAST_NAMES = ['Goldshtein', 'Simha', 'Kisiela', 'Tanrikulu', 'Gardosh', 'Quast', 'Lovelace', 'Hopper'];
const ADJECTIVES = ['Oak', 'Steel', 'Glass', 'Compact', 'Deluxe', 'Folding', 'Vintage', 'Smart'];
const NOUNS = ['Table', 'Couch', 'Chair', 'TV', 'Lamp', 'Grill', 'Fridge', 'Sofa', 'Desk', 'Shelf'];
const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore ' +
  'magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat'
).split(' ');

/**
 * Seeded fake data with the reference rows' shapes, for tests and benchmarks that need longer lists. The same
 * options always give the same rows. Ids and upcs are "1", "2", …; inventory rows keep `price` and `weight`
 * null like the reference ones, so `shippingEstimate` stays null here too.
 */
export function generateBenchData(options: GenerateBenchDataOptions): BenchData {
  const userCount = readCount(options, 'users', 1);
  const productCount = readCount(options, 'products', options.reviews > 0 ? 1 : 0);
  const reviewCount = readCount(options, 'reviews', 0);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed))
    throw new RangeError(`generateBenchData: seed must be an integer, received ${seed}`);
  const random = createSeededRandom(seed);

  const users = Array.from({ length: userCount }, (_, index): UserRow => {
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    return {
      id: String(index + 1),
      name: `${first} ${last}`,
      username: `${first.toLowerCase()}${index + 1}`,
      birthday: randomInt(random, 0, 2_000_000_000),
    };
  });
  const products = Array.from({ length: productCount }, (_, index): ProductRow => ({
    upc: String(index + 1),
    name: `${pick(random, ADJECTIVES)} ${pick(random, NOUNS)}`,
    price: randomInt(random, 1, 100_000),
    weight: randomInt(random, 1, 6_000),
  }));
  const inventory = products.map((product): InventoryRow => ({
    upc: product.upc,
    inStock: random() < 0.5,
    price: null,
    weight: null,
  }));
  const reviews = Array.from({ length: reviewCount }, (_, index): ReviewRow => ({
    id: String(index + 1),
    body: Array.from({ length: randomInt(random, 5, 40) }, () => pick(random, WORDS)).join(' '),
    productUpc: String(randomInt(random, 1, productCount)),
  }));
  return { users, products, inventory, reviews };
}

function readCount(
  options: GenerateBenchDataOptions,
  key: 'users' | 'products' | 'reviews',
  min: number,
): number {
  const value = options[key];
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`generateBenchData: ${key} must be an integer >= ${min}, received ${value}`);
  }
  return value;
}

/** An integer in [min, max], both included. */
function randomInt(random: RandomSource, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: RandomSource, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick: empty list');
  return item;
}
