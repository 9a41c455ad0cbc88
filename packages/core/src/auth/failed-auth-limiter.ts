import { MemoryRateLimiter } from '../limits/memory-rate-limiter.js';
import type { RateLimitDecision, RateLimitRule } from '../limits/rate-limiter.js';

/**
 * Counts failed authentication attempts (401s) per client address, in this process: once an
 * address has failed `maxPerMinute` times within a minute, {@link FailedAuthLimiter.check}
 * refuses it until enough of those failures are a minute old. Successful requests never count.
 *
 * @example
 * ```ts
 * const failed = new FailedAuthLimiter({ maxPerMinute: 20 });
 * if (!failed.check(ip).allowed) return tooMany();
 * if (!valid) failed.record(ip);
 * ```
 */
export class FailedAuthLimiter {
  readonly #limiter: MemoryRateLimiter;
  readonly #rule: RateLimitRule;

  constructor(options: { maxPerMinute: number; now?: () => number }) {
    this.#rule = { limit: options.maxPerMinute, windowMs: 60_000 };
    this.#limiter = new MemoryRateLimiter(options.now === undefined ? {} : { now: options.now });
  }

  /** Whether the address may try again; when refused, `retryAfterMs` says when. Consumes nothing. */
  check(address: string): RateLimitDecision {
    return this.#limiter.peek(address, this.#rule);
  }

  /** Counts one failed attempt for the address. */
  record(address: string): void {
    this.#limiter.consumeSync(address, this.#rule);
  }
}
