import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Random characters after `req_`: 24 × log2(62) ≈ 143 bits. */
const ID_LENGTH = 24;
/** Bytes at or above 248 (= 4 × 62) are skipped so every character is uniform. */
const REJECT_FROM = 248;
const RANDOM_SIZE = 4096;

// Request ids sit on the hot path: one CSPRNG call fills a pool of random bytes, which are turned
// into base62 characters (rejection sampling) in one pass; each id is then a single slice of that
// character pool instead of 24 string concatenations.
const random = Buffer.allocUnsafe(RANDOM_SIZE);
const chars = Buffer.allocUnsafe(RANDOM_SIZE);
const ALPHABET_CODES = Buffer.from(ALPHABET, 'latin1');
let available = 0;
let offset = 0;

function refill(): void {
  // Keep the unused tail (fewer than ID_LENGTH characters), then append fresh ones.
  chars.copy(chars, 0, offset, available);
  available -= offset;
  offset = 0;
  while (available < ID_LENGTH) {
    randomFillSync(random);
    for (let i = 0; i < RANDOM_SIZE && available < RANDOM_SIZE; i++) {
      const byte = random[i]!;
      if (byte < REJECT_FROM) chars[available++] = ALPHABET_CODES[byte % 62]!;
    }
  }
}

/**
 * A new request id: `req_` followed by 24 random base62 characters. Sent as the `request-id`
 * response header and as `request_id` in error bodies.
 *
 * @example
 * ```ts
 * newRequestId(); // 'req_4fK0tq9ZxB2mW7cLrP1sYd8E'
 * ```
 */
export function newRequestId(): string {
  if (available - offset < ID_LENGTH) refill();
  const start = offset;
  offset += ID_LENGTH;
  return `req_${chars.toString('latin1', start, offset)}`;
}
