import { randomBytes } from 'node:crypto';

/** The 62 characters of base62, in value order: digits, upper case, lower case. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Largest multiple of 62 that fits in a byte: bytes at or above it are rejected (no modulo bias). */
const REJECT_FROM = 62 * 4; // 248

/**
 * `length` characters drawn uniformly from {@link BASE62_ALPHABET} with the CSPRNG
 * (rejection sampling, so every character carries log2(62) ≈ 5.95 bits).
 *
 * @example
 * ```ts
 * randomBase62(24); // 'p3XkQ0c9...' (24 characters)
 * ```
 */
export function randomBase62(length: number): string {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError('randomBase62: length must be a non-negative integer');
  }
  let out = '';
  while (out.length < length) {
    // Ask for a little more than needed: about 3% of bytes are rejected.
    const bytes = randomBytes(Math.ceil((length - out.length) * 1.1) + 4);
    for (const byte of bytes) {
      if (byte >= REJECT_FROM) continue;
      out += BASE62_ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * Encodes a non-negative integer in base62, left-padded with `0` to `width` characters.
 *
 * @example
 * ```ts
 * encodeBase62(61, 2); // '0z'
 * encodeBase62(0xffffffff, 6); // '4gfFC3'
 * ```
 */
export function encodeBase62(value: number, width = 0): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError('encodeBase62: value must be a non-negative safe integer');
  }
  let out = '';
  let rest = value;
  do {
    out = BASE62_ALPHABET[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}
