import { ConfigurationError } from '../errors/claude-auth-error.js';
import type { RateLimitDecision, RateLimitRule, RateLimiter } from './rate-limiter.js';
import { validateRateLimitRule } from './validate-rule.js';

/** Options of {@link MemoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  /** Clock in epoch milliseconds (tests inject a fake one). Default `Date.now`. */
  now?: () => number;
  /**
   * How often, at most, a `consume` call sweeps out entries whose bucket is full again (an entry
   * in that state is equivalent to no entry). Default 60 000 ms.
   */
  sweepIntervalMs?: number;
  /** Entry count past which a sweep runs at once, whatever the interval. Default 100 000. */
  maxEntries?: number;
}

/**
 * Slack, in milliseconds, for floating-point sums of emission intervals (e.g. 60 000 / 7 ms). It
 * is far below a millisecond, so it never lets a request through early in any observable way,
 * while it keeps "N simultaneous requests pass" exact for every N.
 */
const EPSILON_MS = 1e-6;

/**
 * A {@link RateLimiter} for one process: GCRA (generic cell rate algorithm), one number per key.
 *
 * For a rule of `limit` requests per `windowMs` with `burst` B, each request moves the key's
 * theoretical arrival time (TAT) forward by `windowMs / limit`; a request is refused when that
 * would put the TAT more than `B * windowMs / limit` ahead of now. Decisions are synchronous, so
 * with `limit` N and `burst` N exactly N of any number of simultaneous requests pass. Keys whose
 * bucket is full again are swept out, so memory is bounded by the keys active within one window.
 *
 * @example
 * ```ts
 * const limiter = new MemoryRateLimiter();
 * const d = await limiter.consume('key:key_123', { limit: 60, windowMs: 60_000 });
 * if (!d.allowed) res.setHeader('retry-after', Math.ceil(d.retryAfterMs / 1000));
 * ```
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #tat = new Map<string, number>();
  readonly #now: () => number;
  readonly #sweepIntervalMs: number;
  readonly #maxEntries: number;
  #nextSweepAt: number;
  #sweepAtSize: number;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.#maxEntries = options.maxEntries ?? 100_000;
    if (!(this.#sweepIntervalMs > 0)) {
      throw new ConfigurationError('sweepIntervalMs must be a positive number', {
        code: 'CLAUDE_AUTH_INVALID_OPTION',
        field: 'sweepIntervalMs',
      });
    }
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new ConfigurationError('maxEntries must be a positive integer', {
        code: 'CLAUDE_AUTH_INVALID_OPTION',
        field: 'maxEntries',
      });
    }
    this.#nextSweepAt = this.#now() + this.#sweepIntervalMs;
    this.#sweepAtSize = this.#maxEntries;
  }

  /** Number of keys currently tracked (for tests and monitoring). */
  get size(): number {
    return this.#tat.size;
  }

  /** {@inheritDoc RateLimiter.consume} */
  async consume(key: string, rule: RateLimitRule, cost = 1): Promise<RateLimitDecision> {
    return this.consumeSync(key, rule, cost);
  }

  /**
   * The synchronous form of {@link MemoryRateLimiter.consume}, for callers on a hot path.
   *
   * @example
   * ```ts
   * const d = limiter.consumeSync('ip:10.0.0.1', { limit: 20, windowMs: 60_000 });
   * ```
   */
  consumeSync(key: string, rule: RateLimitRule, cost = 1): RateLimitDecision {
    return this.#decide(key, rule, cost, true);
  }

  /**
   * What `consume` would decide, without consuming anything.
   *
   * @example
   * ```ts
   * if (!limiter.peek('ip:10.0.0.1', rule).allowed) return tooManyFailedAttempts();
   * ```
   */
  peek(key: string, rule: RateLimitRule, cost = 1): RateLimitDecision {
    return this.#decide(key, rule, cost, false);
  }

  /** {@inheritDoc RateLimiter.reset} */
  async reset(key: string): Promise<void> {
    this.#tat.delete(key);
  }

  /** Forgets every key. */
  async close(): Promise<void> {
    this.#tat.clear();
  }

  #decide(key: string, rule: RateLimitRule, cost: number, commit: boolean): RateLimitDecision {
    const { limit, windowMs } = rule;
    const burst = validateRateLimitRule(rule, cost);

    const now = this.#now();
    if (commit && (now >= this.#nextSweepAt || this.#tat.size > this.#sweepAtSize))
      this.#sweep(now);

    const interval = windowMs / limit;
    const tolerance = interval * burst;
    const stored = this.#tat.get(key);
    const tat = stored === undefined || stored < now ? now : stored;
    const newTat = tat + interval * cost;
    const allowAt = newTat - tolerance;

    if (allowAt > now + EPSILON_MS) {
      // Refused: nothing changes. When `cost` exceeds `burst` no wait helps; report the time
      // until the bucket is full again rather than a time at which it would still fail.
      const wait = cost > burst ? tat - now : allowAt - now;
      return {
        allowed: false,
        limit,
        remaining: Math.max(0, Math.floor((tolerance - (tat - now) + EPSILON_MS) / interval)),
        resetAt: Math.ceil(tat),
        retryAfterMs: Math.max(1, Math.ceil(wait)),
      };
    }
    if (commit) this.#tat.set(key, newTat);
    return {
      allowed: true,
      limit,
      remaining: Math.max(0, Math.floor((tolerance - (newTat - now) + EPSILON_MS) / interval)),
      resetAt: Math.ceil(newTat),
      retryAfterMs: 0,
    };
  }

  #sweep(now: number): void {
    this.#nextSweepAt = now + this.#sweepIntervalMs;
    for (const [key, tat] of this.#tat) if (tat <= now) this.#tat.delete(key);
    // If most entries are still live, wait for the map to double before scanning again, so a
    // burst of distinct keys costs amortised O(1) per call.
    this.#sweepAtSize = Math.max(this.#maxEntries, this.#tat.size * 2);
  }
}
