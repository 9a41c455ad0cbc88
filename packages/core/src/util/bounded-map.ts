/** Options of {@link BoundedMap}. */
export interface BoundedMapOptions<K, V> {
  /**
   * Called for every entry the map drops by itself to make room (not for `delete` or `clear`),
   * so an owner can keep an index or a counter in step.
   */
  onEvict?: (key: K, value: V) => void;
  /**
   * Entries it returns true for are dropped first when the map is full (one pass), before the
   * oldest live entry: e.g. expired blocks.
   */
  isStale?: (value: V, key: K) => boolean;
}

/**
 * A `Map` that never holds more than `maxEntries` entries. Adding a new key to a full map first
 * drops stale entries (`isStale`), else the oldest entry (insertion order); {@link BoundedMap.add}
 * instead refuses the new key, for maps whose entries must not be lost. Core's per-process caches,
 * indexes, pending queues and once-per sets use it instead of clearing a map by hand when it grows,
 * so memory stays bounded under any traffic.
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
  readonly #onEvict: ((key: K, value: V) => void) | undefined;
  readonly #isStale: ((value: V, key: K) => boolean) | undefined;

  constructor(maxEntries: number, options: BoundedMapOptions<K, V> = {}) {
    super();
    this.maxEntries = Math.max(1, maxEntries);
    this.#onEvict = options.onEvict;
    this.#isStale = options.isStale;
  }

  /** Sets `key`; a new key in a full map first evicts stale entries, else the oldest entry. */
  override set(key: K, value: V): this {
    if (this.size >= this.maxEntries && !this.has(key) && !this.#dropStale()) {
      const oldest = this.entries().next();
      if (oldest.done !== true) this.#evict(oldest.value[0], oldest.value[1]);
    }
    return super.set(key, value);
  }

  /**
   * Sets `key` unless that needs evicting a live entry: true when set, false when the map is full
   * of live entries and `key` is new (the caller reports the drop).
   */
  add(key: K, value: V): boolean {
    if (this.size >= this.maxEntries && !this.has(key) && !this.#dropStale()) return false;
    super.set(key, value);
    return true;
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

  /** Drops every stale entry; true when that made room. */
  #dropStale(): boolean {
    if (this.#isStale === undefined) return false;
    for (const [key, value] of this) if (this.#isStale(value, key)) this.#evict(key, value);
    return this.size < this.maxEntries;
  }

  #evict(key: K, value: V): void {
    this.delete(key);
    this.#onEvict?.(key, value);
  }
}
