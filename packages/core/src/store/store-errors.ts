/**
 * The errors every store throws: one base class, one subclass per reason, one type guard that
 * holds across bundle copies (ESM and CJS builds, or two installed versions of core). Messages
 * never carry bound values (no key hashes, no key material).
 */

const BRAND = Symbol.for('@claude-auth/core/store-error');

/** Why a store refused: a unique id or hash taken, a referenced record missing, or no service. */
export type StoreErrorReason = 'duplicate' | 'not_found' | 'unavailable';

/** The stable `code` of each {@link StoreErrorReason}. */
export const STORE_ERROR_CODES = {
  duplicate: 'CLAUDE_AUTH_STORE_DUPLICATE',
  not_found: 'CLAUDE_AUTH_STORE_NOT_FOUND',
  unavailable: 'CLAUDE_AUTH_STORE_UNAVAILABLE',
} as const satisfies Record<StoreErrorReason, string>;

/**
 * Base class of the errors a `KeyStore`, `SpendLedger` or `RateLimiter` store throws. Test with
 * {@link isStoreError}, not `instanceof`: the guard also recognises errors from another copy of
 * core.
 *
 * @example
 * ```ts
 * try {
 *   await store.createKey(record);
 * } catch (error) {
 *   if (isStoreError(error, 'duplicate')) return retryWithNewId();
 *   throw error;
 * }
 * ```
 */
export abstract class StoreError extends Error {
  abstract readonly reason: StoreErrorReason;
  abstract readonly code: (typeof STORE_ERROR_CODES)[StoreErrorReason];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * A record with the same id (or, for keys, the same current or previous hash) already exists.
 *
 * @example
 * ```ts
 * throw new DuplicateRecordError('A key with this id already exists');
 * ```
 */
export class DuplicateRecordError extends StoreError {
  readonly reason = 'duplicate';
  readonly code = STORE_ERROR_CODES.duplicate;

  constructor(message = 'A record with this id already exists', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DuplicateRecordError';
  }
}

/**
 * A record names another that does not exist (a key in an unknown workspace).
 *
 * @example
 * ```ts
 * throw new RecordNotFoundError('The key names a workspace that does not exist');
 * ```
 */
export class RecordNotFoundError extends StoreError {
  readonly reason = 'not_found';
  readonly code = STORE_ERROR_CODES.not_found;

  constructor(message = 'A referenced record does not exist', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordNotFoundError';
  }
}

/**
 * The backing service is unreachable or timed out. The pipeline answers 503 (`api_error`), never
 * a 401 or an accept.
 *
 * @example
 * ```ts
 * throw new StoreUnavailableError('PostgreSQL key store unavailable', { cause: error });
 * ```
 */
export class StoreUnavailableError extends StoreError {
  readonly reason = 'unavailable';
  readonly code = STORE_ERROR_CODES.unavailable;

  constructor(message = 'Key store unavailable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * True for a {@link StoreError} from any copy of core; with `reason`, only for that reason.
 *
 * @example
 * ```ts
 * if (isStoreError(error, 'unavailable')) return reply503();
 * ```
 */
export function isStoreError(value: unknown, reason?: StoreErrorReason): value is StoreError {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<symbol, unknown>)[BRAND] !== true) return false;
  return reason === undefined || (value as { reason?: unknown }).reason === reason;
}
