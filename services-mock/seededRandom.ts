/** A source of uniformly distributed numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/**
 * mulberry32: a 32-bit seeded PRNG, plenty for reproducible failure injection and fake data (not for
 * anything secret). The same seed always yields the same sequence.
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent seed per stream (e.g. per service) from one base seed and the stream's name. */
export function deriveSeed(seed: number, stream: string): number {
  return hashString(stream, seed);
}

/** FNV-1a over a string, its offset basis mixed with `seed`: a stable 32-bit number per (string, seed). */
export function hashString(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}
