/**
 * A `Map` that never holds more than `maxEntries` entries: adding a new key to a full map first
 * drops the oldest entry (insertion order). Core's per-process caches and once-per sets use it
 * instead of clearing a map by hand when it grows, so memory stays bounded under any traffic.
 *
 * @example
 * ```ts
 * const seen = new BoundedMap<string, number>(2);
 * seen.set('a', 1).set('b', 2).set('c', 3);
 * [...seen.keys()]; // ['b', 'c']
 * ```
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly maxEntries: number;

  constructor(maxEntries: number) {
    super();
    this.maxEntries = Math.max(1, maxEntries);
  }

  /** Sets `key`; a new key in a full map first evicts the oldest entry. */
  override set(key: K, value: V): this {
    if (this.size >= this.maxEntries && !this.has(key)) {
      const oldest = this.keys().next();
      if (oldest.done !== true) this.delete(oldest.value);
    }
    return super.set(key, value);
  }

  /** Sets `key` as the newest entry (moved to the end of the eviction order). */
  setNewest(key: K, value: V): this {
    this.delete(key);
    return this.set(key, value);
  }

  /**
   * True the first time `key` is seen (and remembers it), false afterwards: for "log once per
   * subject" warnings.
   */
  first(key: K, value: V): boolean {
    if (this.has(key)) return false;
    this.set(key, value);
    return true;
  }
}
