/**
 * Spend amounts below one micro-dollar, and the ids that make debits idempotent. The pipeline
 * counts a request's cost in nano-dollars and debits whole micro-dollars, carrying the rest into
 * the next debit, so a stream of tiny costs adds up instead of rounding to zero.
 */
import { createHash } from 'node:crypto';
import { InvalidRequestError } from '../errors/claude-auth-error.js';

const NANOS_PER_USD = 1_000_000_000;
const NANOS_PER_MICRO = 1000;
const DEBIT_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * US dollars to integer nano-dollars (nearest), or `null` past about $9 million, where nano-dollars
 * are no longer exact (such amounts are debited in whole micro-dollars). Throws
 * `InvalidRequestError` for a negative or non-finite amount.
 *
 * @example
 * ```ts
 * usdToNanos(0.0000004); // 400 (0.4 micro-dollars)
 * ```
 */
export function usdToNanos(usd: number): number | null {
  if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) {
    throw new InvalidRequestError('Amount must be a finite, non-negative number of US dollars');
  }
  const nanos = Math.round(usd * NANOS_PER_USD);
  return Number.isSafeInteger(nanos) ? nanos : null;
}

/**
 * Splits nano-dollars into whole micro-dollars and the nano-dollars left over.
 *
 * @example
 * ```ts
 * splitNanos(2_400); // { micros: 2, rest: 400 }
 * ```
 */
export function splitNanos(nanos: number): { micros: number; rest: number } {
  const micros = Math.floor(nanos / NANOS_PER_MICRO);
  return { micros, rest: nanos - micros * NANOS_PER_MICRO };
}

/**
 * The debit id of the `call`-th `recordSpend` of a request in a workspace:
 * `<requestId>:<workspaceId>:<call>`, or its SHA-256 (`dbt_<hex>`) when that is not 1 to 200
 * printable ASCII characters (a custom request id).
 *
 * @example
 * ```ts
 * debitIdFor('req_abc', 'wrkspc_1', 0); // 'req_abc:wrkspc_1:0'
 * ```
 */
export function debitIdFor(requestId: string, workspaceId: string | null, call: number): string {
  const id = `${requestId}:${workspaceId ?? '-'}:${call}`;
  if (DEBIT_ID.test(id)) return id;
  return `dbt_${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}
