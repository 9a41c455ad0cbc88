import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The lower-case hex SHA-256 of a secret: the only form in which stores keep keys.
 *
 * @example
 * ```ts
 * const record = { ...fields, hash: hashKey(secret) };
 * ```
 */
export function hashKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Compares two strings in constant time (relative to their content and length): both sides are
 * hashed to 32 bytes first, then compared with `crypto.timingSafeEqual`, so neither the position
 * of the first difference nor a length mismatch leaks through timing.
 *
 * @example
 * ```ts
 * if (safeEqual(hashKey(presented), record.hash)) accept();
 * ```
 */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
