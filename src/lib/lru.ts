/**
 * A map that keeps at most `budget` units (bytes, by `size`), dropping the least recently used
 * entries first. One per isolate and purpose: rendered feeds, absolute-URL fragments.
 */
export class LruCache<V> {
  readonly #entries = new Map<string, V>();
  #used = 0;

  constructor(
    private readonly budget: number,
    private readonly size: (key: string, value: V) => number,
  ) {}

  /** The value under `key`, marked as recently used. */
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Map order is insertion order: re-inserting marks the entry as recently used.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Stores `value` unless it alone would take more than `maxShare` of the budget; evicts the oldest beyond it. */
  set(key: string, value: V, maxShare = 1): void {
    const size = this.size(key, value);
    if (size > this.budget * maxShare) return;
    const old = this.#entries.get(key);
    if (old !== undefined) this.#used -= this.size(key, old);
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#used += size;
    for (const [oldKey, oldValue] of this.#entries) {
      if (this.#used <= this.budget) break;
      this.#entries.delete(oldKey);
      this.#used -= this.size(oldKey, oldValue);
    }
  }
}
