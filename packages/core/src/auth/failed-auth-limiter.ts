import { MemoryRateLimiter } from '../limits/memory-rate-limiter.js';
import type { RateLimitDecision, RateLimitRule } from '../limits/rate-limiter.js';

const WINDOW_MS = 60_000;

/**
 * Counts failed authentication attempts (401s) per client address, in this process: once an
 * address has failed `maxPerMinute` times within a minute, {@link FailedAuthLimiter.check}
 * refuses it until enough of those failures are a minute old. Successful requests never count.
 *
 * @example
 * ```ts
 * const failed = new FailedAuthLimiter({ maxPerMinute: 20 });
 * if (failed.mayRefuse() && !failed.check(ip).allowed) return tooMany();
 * if (!valid) failed.record(ip);
 * ```
 */
export class FailedAuthLimiter {
  readonly #limiter: MemoryRateLimiter;
  readonly #rule: RateLimitRule;
  readonly #now: () => number;
  /** `windowMs / limit - burst * windowMs / limit`: what `check` adds to an address's TAT. */
  readonly #slack: number;
  /** An upper bound of every address's theoretical arrival time (GCRA), in epoch ms. */
  #latestTat = Number.NEGATIVE_INFINITY;

  constructor(options: { maxPerMinute: number; now?: () => number }) {
    this.#rule = { limit: options.maxPerMinute, windowMs: WINDOW_MS };
    this.#now = options.now ?? Date.now;
    this.#limiter = new MemoryRateLimiter({ now: this.#now });
    const interval = WINDOW_MS / options.maxPerMinute;
    this.#slack = interval - interval * options.maxPerMinute;
  }

  /**
   * False when no address can be refused at `now`: no address has failed often enough within
   * the last minute. Constant time and needs no address, so callers can skip computing the
   * client address (e.g. Express's `req.ip`, which parses forwarding headers) until an address
   * may be over its limit. Conservative: when it returns true, {@link FailedAuthLimiter.check}
   * decides.
   */
  mayRefuse(now: number = this.#now()): boolean {
    return this.#latestTat + this.#slack > now;
  }

  /** Whether the address may try again; when refused, `retryAfterMs` says when. Consumes nothing. */
  check(address: string): RateLimitDecision {
    return this.#limiter.peek(address, this.#rule);
  }

  /** Counts one failed attempt for the address. */
  record(address: string): void {
    // `resetAt` is the address's TAT rounded up: never below the real one, so the bound holds.
    const { resetAt } = this.#limiter.consumeSync(address, this.#rule);
    if (resetAt > this.#latestTat) this.#latestTat = resetAt;
  }
}
