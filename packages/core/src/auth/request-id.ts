import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Random characters after `req_`: 24 × log2(62) ≈ 143 bits. */
const ID_LENGTH = 24;
/** Bytes at or above 248 (= 4 × 62) are skipped so every character is uniform. */
const REJECT_FROM = 248;
const POOL_SIZE = 4096;

// One CSPRNG call per ~160 ids instead of one per id: request ids sit on the hot path.
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function nextByte(): number {
  if (offset === POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++]!;
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
  let id = 'req_';
  let n = 0;
  while (n < ID_LENGTH) {
    const byte = nextByte();
    if (byte >= REJECT_FROM) continue;
    id += ALPHABET[byte % 62]!;
    n++;
  }
  return id;
}
