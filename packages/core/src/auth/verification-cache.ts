import { DEFAULT_CONFIG } from '../config/claude-auth-config.js';
import { OPTION_SCHEMA } from '../config/options-schema.js';
import { BoundedMap } from '../util/bounded-map.js';
import type { ApiKeyRecord } from '../store/key-store.js';

/** Options of {@link VerificationCache}. */
export interface VerificationCacheOptions {
  /** How long a found key is trusted without asking the store, at most 10 000 ms. Default 5 000. */
  ttlMs?: number;
  /** How long an unknown hash is remembered as unknown. Default 1 000 ms. */
  negativeTtlMs?: number;
  /** Entry bound; the oldest entries go first. Default 10 000. */
  maxEntries?: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** Counters for tests and benchmarks. */
export interface VerificationCacheStats {
  /** Lookups answered with a key record. */
  hits: number;
  /** Lookups answered "unknown key" from a negative entry. */
  negativeHits: number;
  /** Lookups the cache could not answer (absent or expired). */
  misses: number;
  /** Entries dropped for the size bound or by {@link VerificationCache.evictKey}. */
  evictions: number;
  /** Entries held now (some may be expired and not yet dropped). */
  size: number;
  /** Key ids in the revocation index (at most `size`). */
  keyIds: number;
}

interface Entry {
  record: ApiKeyRecord | null;
  expiresAt: number;
}

const DEFAULT_CACHE = DEFAULT_CONFIG.cache as Exclude<typeof DEFAULT_CONFIG.cache, false>;

/** Checks one option with the options schema's `cache` row: the same message as `createAuthenticator`. */
function checked(name: 'ttlMs' | 'negativeTtlMs' | 'maxEntries', value: number): number {
  const where = { field: `cache.${name}`, code: 'CLAUDE_AUTH_INVALID_OPTION' } as const;
  return OPTION_SCHEMA.cache.fields[name]!.check(value, where, undefined) as number;
}

/**
 * A bounded cache of key lookups, keyed by the SHA-256 hash of the secret (never the secret):
 * found keys for `ttlMs` (at most 10 s), unknown hashes for `negativeTtlMs`. Entries are dropped
 * oldest-inserted first once `maxEntries` is reached. {@link VerificationCache.evictKey} forgets
 * every entry of a key id, which is how revocations reach the cache; lookups that started before
 * an eviction must pass the {@link VerificationCache.generation} they started with to
 * {@link VerificationCache.set}, so a stale answer never re-enters the cache.
 *
 * @example
 * ```ts
 * const cache = new VerificationCache({ ttlMs: 5_000 });
 * const hash = hashKey(secret);
 * let record = cache.get(hash);
 * if (record === undefined) {
 *   const generation = cache.generation;
 *   record = await store.findKeyByHash(hash);
 *   cache.set(hash, record, generation);
 * }
 * bus.subscribe(({ keyId }) => keyId !== undefined && cache.evictKey(keyId));
 * ```
 */
export class VerificationCache {
  readonly ttlMs: number;
  readonly negativeTtlMs: number;
  readonly maxEntries: number;
  readonly #now: () => number;
  /** hash → answer; full, it drops the oldest entry (and unlinks it from `#byKeyId`). */
  readonly #entries: BoundedMap<string, Entry>;
  /**
   * key id → hashes cached for it (current and, during a grace period, previous). Never larger
   * than `#entries`; if it ever had to drop a key id, its hashes leave the cache with it, so a
   * revocation can never miss a cached hash.
   */
  readonly #byKeyId: BoundedMap<string, Set<string>>;
  #generation = 0;
  #hits = 0;
  #negativeHits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(options: VerificationCacheOptions = {}) {
    const defaults = DEFAULT_CACHE;
    this.ttlMs = checked('ttlMs', options.ttlMs ?? defaults.ttlMs);
    this.negativeTtlMs = checked('negativeTtlMs', options.negativeTtlMs ?? defaults.negativeTtlMs);
    this.maxEntries = checked('maxEntries', options.maxEntries ?? defaults.maxEntries);
    this.#now = options.now ?? Date.now;
    this.#entries = new BoundedMap(this.maxEntries, {
      onEvict: (hash, entry) => {
        this.#unlink(hash, entry);
        this.#evictions++;
      },
    });
    this.#byKeyId = new BoundedMap(this.maxEntries, {
      onEvict: (_keyId, hashes) => {
        for (const hash of hashes) if (this.#entries.delete(hash)) this.#evictions++;
      },
    });
  }

  /** Increases on every eviction; see {@link VerificationCache.set}. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * The cached answer for a hash: the record, `null` for a known-unknown hash, or `undefined`
   * when the cache cannot answer.
   */
  get(hash: string, now: number = this.#now()): ApiKeyRecord | null | undefined {
    const entry = this.#entries.get(hash);
    if (entry === undefined) {
      this.#misses++;
      return undefined;
    }
    if (entry.expiresAt <= now) {
      this.#remove(hash, entry);
      this.#misses++;
      return undefined;
    }
    if (entry.record === null) this.#negativeHits++;
    else this.#hits++;
    return entry.record;
  }

  /**
   * Remembers the answer for a hash. When `generation` is given and an eviction happened since it
   * was read, nothing is stored (the answer may predate a revocation).
   */
  set(hash: string, record: ApiKeyRecord | null, generation?: number): void {
    if (generation !== undefined && generation !== this.#generation) return;
    const ttl = record === null ? this.negativeTtlMs : this.ttlMs;
    if (ttl === 0) return;
    const previous = this.#entries.get(hash);
    if (previous !== undefined) this.#remove(hash, previous);
    this.#entries.set(hash, { record, expiresAt: this.#now() + ttl });
    if (record !== null) {
      let hashes = this.#byKeyId.get(record.id);
      if (hashes === undefined) {
        hashes = new Set();
        this.#byKeyId.set(record.id, hashes);
      }
      hashes.add(hash);
    }
  }

  /** Forgets every entry of a key (revoked, deactivated, regenerated, deleted). */
  evictKey(keyId: string): void {
    this.#generation++;
    const hashes = this.#byKeyId.get(keyId);
    if (hashes === undefined) return;
    this.#byKeyId.delete(keyId);
    for (const hash of hashes) {
      if (this.#entries.delete(hash)) this.#evictions++;
    }
  }

  /** Forgets everything (counters stay). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#byKeyId.clear();
  }

  /** A snapshot of the counters. */
  stats(): VerificationCacheStats {
    return {
      hits: this.#hits,
      negativeHits: this.#negativeHits,
      misses: this.#misses,
      evictions: this.#evictions,
      size: this.#entries.size,
      keyIds: this.#byKeyId.size,
    };
  }

  /** Sets the counters back to zero. */
  resetStats(): void {
    this.#hits = 0;
    this.#negativeHits = 0;
    this.#misses = 0;
    this.#evictions = 0;
  }

  #remove(hash: string, entry: Entry): void {
    this.#entries.delete(hash);
    this.#unlink(hash, entry);
  }

  #unlink(hash: string, entry: Entry): void {
    if (entry.record === null) return;
    const hashes = this.#byKeyId.get(entry.record.id);
    if (hashes === undefined) return;
    hashes.delete(hash);
    if (hashes.size === 0) this.#byKeyId.delete(entry.record.id);
  }
}
