/** The contract every rate limiter implements (memory, Redis). */
import type { KeyStore } from '../store/key-store.js';

/** A limit to enforce: `limit` requests per `windowMs`, with up to `burst` at once. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
  /** Requests allowed at once; defaults to `limit`. */
  burst?: number;
}

/** One decision: allowed or not, and what to tell the client. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The `limit` of the rule. */
  limit: number;
  /** Requests left right now after this decision. */
  remaining: number;
  /** Epoch ms at which the bucket is full again (for `anthropic-ratelimit-requests-reset`). */
  resetAt: number;
  /** When refused, ms until one request would be allowed; 0 when allowed. */
  retryAfterMs: number;
}

/**
 * Decides, atomically per key, whether one more request fits the rule. Implementations must be
 * exact at the boundary (GCRA or equivalent): with `limit` N and `burst` N, exactly N of any number
 * of simultaneous requests pass.
 */
export interface RateLimiter {
  consume(key: string, rule: RateLimitRule, cost?: number): Promise<RateLimitDecision>;
  /** Forgets a key (tests, admin resets). */
  reset?(key: string): Promise<void>;
  close?(): Promise<void>;
}

/** Thrown by a limiter whose backing service is unreachable or too slow. */
export class LimiterUnavailableError extends Error {
  readonly code = 'CLAUDE_AUTH_LIMITER_UNAVAILABLE';
  constructor(message = 'Rate limiter unavailable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LimiterUnavailableError';
  }
}

/**
 * Where spend is debited atomically: every `KeyStore` is one; `@claude-auth/redis` has another.
 * `voidDebit` is optional: without it, a debit whose outcome is unknown cannot be cancelled.
 */
export type SpendLedger = Pick<KeyStore, 'debitSpend' | 'getSpend' | 'voidDebit'>;
