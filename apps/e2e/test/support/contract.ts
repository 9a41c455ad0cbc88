import { expect } from 'vitest';
import type { Exchange } from './http.js';

/**
 * Asserts the contract's error shape: status, `content-type: application/json`, a `request-id`
 * header equal to the body's `request_id`, and `{"type":"error","error":{"type","message"}}`.
 *
 * @example
 * ```ts
 * expectContractError(res, 429, 'rate_limit_exceeded');
 * ```
 */
export function expectContractError(res: Exchange, status: number, type: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const requestId = res.headers['request-id'];
  expect(requestId).toMatch(/^req_\w+$/);
  expect(res.body).toEqual({
    type: 'error',
    error: { type, message: expect.any(String) as unknown },
    request_id: requestId,
  });
}

/**
 * The `retry-after` header as a number of seconds (NaN when absent or not an integer).
 *
 * @example
 * ```ts
 * expect(retryAfter(res)).toBeGreaterThanOrEqual(1);
 * ```
 */
export function retryAfter(res: Exchange): number {
  const value = res.headers['retry-after'];
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/**
 * The `n`-th percentile (0-100) of `values`, nearest rank.
 *
 * @example
 * ```ts
 * percentile([1, 2, 3, 4], 50); // 2
 * ```
 */
export function percentile(values: readonly number[], n: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((n / 100) * sorted.length) - 1))
  ]!;
}

/** Sleeps `ms`. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
