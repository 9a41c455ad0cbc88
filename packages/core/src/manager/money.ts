import { InvalidRequestError } from '../errors/claude-auth-error.js';

/** Micro-dollars per US dollar. */
export const MICROS_PER_USD = 1_000_000;

/**
 * US dollars to integer micro-dollars (rounded to the nearest micro-dollar). Throws
 * `InvalidRequestError` for a negative, non-finite or absurdly large amount.
 *
 * @example
 * ```ts
 * usdToMicros(12.5); // 12_500_000
 * ```
 */
export function usdToMicros(usd: number): number {
  if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) {
    throw new InvalidRequestError('Amount must be a finite, non-negative number of US dollars');
  }
  const micros = Math.round(usd * MICROS_PER_USD);
  if (!Number.isSafeInteger(micros)) throw new InvalidRequestError('Amount is too large');
  return micros;
}

/**
 * Integer micro-dollars to US dollars.
 *
 * @example
 * ```ts
 * microsToUsd(12_500_000); // 12.5
 * ```
 */
export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD;
}

/**
 * The spend period (UTC calendar month, `YYYY-MM`) a moment falls in.
 *
 * @example
 * ```ts
 * spendPeriod(new Date('2025-01-31T23:59:59Z')); // '2025-01'
 * ```
 */
export function spendPeriod(date: Date): string {
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}
