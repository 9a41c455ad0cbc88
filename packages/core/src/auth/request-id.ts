import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Characters after `req_`: 8 of time, then 16 random ones (16 × log2(62) ≈ 95 bits). */
const ID_LENGTH = 16;
/** Base62 digits of the millisecond clock: 62^8 ms is about 6,900 years. */
const TIME_LENGTH = 8;
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

let prefixMs = -1;
let prefix = '';

/** `req_` and the millisecond clock in 8 base62 digits (fixed width, so ids sort by time). */
function timePrefix(now: number): string {
  if (now !== prefixMs) {
    prefixMs = now;
    let digits = '';
    for (let i = 0, rest = now; i < TIME_LENGTH; i++, rest = Math.floor(rest / 62)) {
      digits = ALPHABET[rest % 62]! + digits;
    }
    prefix = `req_${digits}`;
  }
  return prefix;
}

/**
 * A new request id: `req_` followed by 24 base62 characters, the first 8 the millisecond clock,
 * the other 16 random (about 95 bits). Sent as the `request-id` response header and as
 * `request_id` in error bodies. Like a ULID, ids made later sort later (base62 digits are in
 * ASCII order): a store that indexes them (the gateway's spend debit ids, `<request-id>:usage`)
 * appends to its index instead of writing to a random page of it.
 *
 * @example
 * ```ts
 * newRequestId(); // 'req_0VnhF3Kq4fK0tq9ZxB2mW7cL'
 * ```
 */
export function newRequestId(): string {
  if (available - offset < ID_LENGTH) refill();
  const start = offset;
  offset += ID_LENGTH;
  return timePrefix(Date.now()) + chars.toString('latin1', start, offset);
}
