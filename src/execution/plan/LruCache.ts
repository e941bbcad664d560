/**
 * A Map that keeps at most `capacity` worth of entries, dropping the least recently used ones first. Each
 * entry weighs `sizeOf(value)` (1 by default, so `capacity` is a number of entries); an entry heavier than
 * the whole capacity is not kept.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly size: number }>();
  private total = 0;

  constructor(
    private readonly capacity: number,
    private readonly sizeOf: (value: V) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recently used entry.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const size = this.sizeOf(value);
    if (size > this.capacity) return;
    this.entries.set(key, { value, size });
    this.total += size;
    while (this.total > this.capacity) this.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.total -= entry.size;
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The sum of the entries' sizes. */
  get weight(): number {
    return this.total;
  }
}
