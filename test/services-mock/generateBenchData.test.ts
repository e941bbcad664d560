import { describe, expect, it } from 'vitest';
import { generateBenchData } from '../../services-mock/generateBenchData.js';
import { loadReferenceData } from '../../services-mock/loadReferenceData.js';

describe('generateBenchData', () => {
  it('produces the requested counts, one inventory row per product, reviews on existing products', () => {
    const data = generateBenchData({ users: 20, products: 1_000, reviews: 3_000, seed: 5 });
    expect([data.users.length, data.products.length, data.inventory.length, data.reviews.length]).toEqual([
      20, 1_000, 1_000, 3_000,
    ]);
    expect(data.inventory.map((row) => row.upc)).toEqual(data.products.map((row) => row.upc));
    const upcs = new Set(data.products.map((row) => row.upc));
    expect(data.reviews.every((review) => upcs.has(review.productUpc))).toBe(true);
    expect(new Set(data.reviews.map((review) => review.productUpc)).size).toBeGreaterThan(900);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const options = { users: 5, products: 50, reviews: 100 };
    expect(generateBenchData({ ...options, seed: 9 })).toEqual(generateBenchData({ ...options, seed: 9 }));
    expect(generateBenchData({ ...options, seed: 10 })).not.toEqual(
      generateBenchData({ ...options, seed: 9 }),
    );
  });

  it('keeps the reference row shapes', () => {
    const generated = generateBenchData({ users: 1, products: 1, reviews: 1 });
    const reference = loadReferenceData();
    for (const key of ['users', 'products', 'inventory', 'reviews'] as const) {
      expect(Object.keys(generated[key][0] ?? {}).sort()).toEqual(
        Object.keys(reference[key][0] ?? {}).sort(),
      );
    }
  });

  it('rejects zero users, since every review is authored by the first user', () => {
    expect(() => generateBenchData({ users: 0, products: 1, reviews: 1 })).toThrow(
      /users must be an integer >= 1, received 0/,
    );
  });
});
