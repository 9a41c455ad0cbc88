import type { Logger } from '../auth/types.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import type { RateLimitDecision, RateLimitRule, RateLimiter } from './rate-limiter.js';

/** Options of {@link FallbackRateLimiter}. */
export interface FallbackRateLimiterOptions {
  /** The limiter to use while it works (e.g. a Redis one shared by every instance). */
  primary: RateLimiter;
  /** The per-process limiter used while the primary fails. Default a new {@link MemoryRateLimiter}. */
  fallback?: RateLimiter;
  /** Receives one warning when the primary starts failing and one notice when it recovers. */
  logger?: Logger;
}

/**
 * A {@link RateLimiter} that uses `primary` and, whenever it throws (e.g.
 * `LimiterUnavailableError`), decides with a per-process `fallback` instead. It logs one warning
 * per outage, not one per request, and one info line when the primary answers again.
 *
 * @example
 * ```ts
 * const limiter = new FallbackRateLimiter({ primary: new RedisRateLimiter(redis), logger: console });
 * await limiter.consume('key:key_123', { limit: 60, windowMs: 60_000 }); // never throws for Redis outages
 * ```
 */
export class FallbackRateLimiter implements RateLimiter {
  readonly #primary: RateLimiter;
  readonly #fallback: RateLimiter;
  readonly #logger: Logger | undefined;
  #degraded = false;

  constructor(options: FallbackRateLimiterOptions) {
    this.#primary = options.primary;
    this.#fallback = options.fallback ?? new MemoryRateLimiter();
    this.#logger = options.logger;
  }

  /** True while decisions come from the fallback (the primary's last call failed). */
  get degraded(): boolean {
    return this.#degraded;
  }

  /** {@inheritDoc RateLimiter.consume} */
  async consume(key: string, rule: RateLimitRule, cost?: number): Promise<RateLimitDecision> {
    let decision: RateLimitDecision;
    try {
      decision = await this.#primary.consume(key, rule, cost);
    } catch (error) {
      if (!this.#degraded) {
        this.#degraded = true;
        this.#logger?.warn(
          'claude-auth: rate limiter unavailable; falling back to a per-process limiter',
          error instanceof Error
            ? { error: error.name, message: error.message }
            : { error: String(error) },
        );
      }
      return this.#fallback.consume(key, rule, cost);
    }
    if (this.#degraded) {
      this.#degraded = false;
      this.#logger?.info?.('claude-auth: rate limiter available again');
    }
    return decision;
  }

  /** Resets the key in both limiters. */
  async reset(key: string): Promise<void> {
    await Promise.allSettled([this.#primary.reset?.(key), this.#fallback.reset?.(key)]);
  }

  /** Closes the fallback; the primary belongs to the caller. */
  async close(): Promise<void> {
    await this.#fallback.close?.();
  }
}
