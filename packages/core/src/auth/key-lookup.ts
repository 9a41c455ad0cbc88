import type { KeyManager } from '../manager/key-manager.js';
import type { ApiKeyRecord } from '../store/key-store.js';
import type { Refusals } from './refusals.js';
import type { VerificationCache } from './verification-cache.js';

/**
 * The key step's store access: one `verifySecret` per hash at a time (concurrent requests with
 * the same key share it), its answer remembered in the verification cache unless an eviction
 * happened meanwhile.
 *
 * @example
 * ```ts
 * const lookup = new KeyLookup(keys, cache, refusals);
 * const record = lookup.cached(hash, Date.now()) ?? (await lookup.find(secret, hash));
 * ```
 */
export class KeyLookup {
  readonly #keys: KeyManager;
  readonly #cache: VerificationCache | null;
  readonly #refusals: Refusals;
  readonly #inflight = new Map<string, Promise<ApiKeyRecord | null>>();

  constructor(keys: KeyManager, cache: VerificationCache | null, refusals: Refusals) {
    this.#keys = keys;
    this.#cache = cache;
    this.#refusals = refusals;
  }

  /** The cached answer (`null`: a known-unknown hash), `undefined` when the cache cannot answer. */
  cached(hash: string, now: number): ApiKeyRecord | null | undefined {
    return this.#cache?.get(hash, now);
  }

  /** The record of `secret` from the store; a rejection becomes a `StoreFault` (a 503). */
  find(secret: string, hash: string): Promise<ApiKeyRecord | null> {
    const pending = this.#inflight.get(hash);
    if (pending !== undefined) return pending;
    const generation = this.#cache?.generation;
    const lookup = this.#keys.verifySecret(secret).then(
      (record) => {
        this.#refusals.storeUp();
        this.#cache?.set(hash, record, generation);
        return record;
      },
      (error: unknown) => {
        throw this.#refusals.storeFault(error);
      },
    );
    this.#inflight.set(hash, lookup);
    const forget = (): void => {
      if (this.#inflight.get(hash) === lookup) this.#inflight.delete(hash);
    };
    lookup.then(forget, forget);
    return lookup;
  }

  /** Forgets pending lookups (on close). */
  clear(): void {
    this.#inflight.clear();
  }
}

/**
 * Whether a looked-up record lets a request in: known, active, of this environment, not expired,
 * and `hash` is its current hash or a previous one still within its grace period.
 *
 * @example
 * ```ts
 * isUsableKey(record, hashKey(secret), 'live', Date.now()); // true for a fresh key
 * ```
 */
export function isUsableKey(
  record: ApiKeyRecord | null,
  hash: string,
  environment: string,
  now: number,
): record is ApiKeyRecord {
  return (
    record !== null &&
    record.status === 'active' &&
    record.environment === environment &&
    (record.expiresAt === null || record.expiresAt.getTime() > now) &&
    (record.hash === hash ||
      (record.previousHash === hash &&
        record.previousHashExpiresAt !== null &&
        record.previousHashExpiresAt.getTime() > now))
  );
}
