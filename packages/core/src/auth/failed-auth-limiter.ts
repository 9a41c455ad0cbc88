import { MemoryRateLimiter } from '../limits/memory-rate-limiter.js';
import { BoundedMap } from '../util/bounded-map.js';
import type { RateLimitDecision, RateLimitRule, RateLimiter } from '../limits/rate-limiter.js';
import type { Logger } from './types.js';

const WINDOW_MS = 60_000;
/** Bucket prefix of failed attempts in a shared {@link RateLimiter}. */
const SHARED_PREFIX = 'failed-auth:';
/** Addresses remembered as blocked by the shared limiter, at most. */
const MAX_BLOCKED = 10_000;

/** Options of {@link FailedAuthLimiter}. */
export interface FailedAuthLimiterOptions {
  /** Failed attempts per address per minute before the address is refused. */
  maxPerMinute: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /**
   * A limiter shared by every instance (e.g. `RedisRateLimiter`): each failure is also counted
   * there, under `failed-auth:<address>`, and an address it reports over the limit is refused
   * here too. Omit it (the default) to count in this process only.
   */
  shared?: RateLimiter;
  /** Receives one warning when `shared` starts failing and one notice when it answers again. */
  logger?: Logger;
}

/**
 * Counts failed authentication attempts (401s) per client address: once an address has failed
 * `maxPerMinute` times within a minute, {@link FailedAuthLimiter.check} refuses it until enough of
 * those failures are a minute old. Successful requests never count.
 *
 * Failures are always counted in this process (so one instance refuses exactly at the limit, with
 * no round trip). With a `shared` limiter each failure is also counted there, without delaying
 * the caller; when the shared count is over the limit the address is remembered as blocked until
 * the shared limiter would accept it again, so N instances allow about `maxPerMinute` failures in
 * total rather than N × `maxPerMinute`. An instance learns of the block from the answer to its own
 * failure, so each instance may answer one failure past the shared limit before refusing. If the
 * shared limiter throws, the local count alone decides (one warning per outage).
 *
 * @example
 * ```ts
 * const failed = new FailedAuthLimiter({ maxPerMinute: 20, shared: redisLimiter, logger: console });
 * if (failed.mayRefuse() && !failed.check(ip).allowed) return tooMany();
 * if (!valid) failed.record(ip);
 * ```
 */
export class FailedAuthLimiter {
  readonly #limiter: MemoryRateLimiter;
  readonly #rule: RateLimitRule;
  readonly #now: () => number;
  readonly #shared: RateLimiter | null;
  readonly #logger: Logger | undefined;
  /** `windowMs / limit - burst * windowMs / limit`: what `check` adds to an address's TAT. */
  readonly #slack: number;
  /** An upper bound of every address's theoretical arrival time (GCRA), in epoch ms. */
  #latestTat = Number.NEGATIVE_INFINITY;
  /** Addresses the shared limiter reported over the limit: address → epoch ms they may retry. */
  readonly #blocked: BoundedMap<string, number>;
  /** An upper bound of every `#blocked` value. */
  #latestBlock = Number.NEGATIVE_INFINITY;
  readonly #pending = new Set<Promise<void>>();
  #sharedDown = false;

  constructor(options: FailedAuthLimiterOptions) {
    this.#rule = { limit: options.maxPerMinute, windowMs: WINDOW_MS };
    this.#now = options.now ?? Date.now;
    this.#limiter = new MemoryRateLimiter({ now: this.#now });
    this.#shared = options.shared ?? null;
    this.#logger = options.logger;
    const interval = WINDOW_MS / options.maxPerMinute;
    this.#slack = interval - interval * options.maxPerMinute;
    this.#blocked = new BoundedMap(MAX_BLOCKED, { isStale: (until) => until <= this.#now() });
  }

  /**
   * False when no address can be refused at `now`: no address has failed often enough within
   * the last minute, and the shared limiter has blocked none that is still blocked. Constant time
   * and needs no address, so callers can skip computing the client address (e.g. Express's
   * `req.ip`, which parses forwarding headers) until an address may be over its limit.
   * Conservative: when it returns true, {@link FailedAuthLimiter.check} decides.
   *
   * @example
   * ```ts
   * if (failed.mayRefuse() && !failed.check(request.ip).allowed) return tooMany();
   * ```
   */
  mayRefuse(now: number = this.#now()): boolean {
    return this.#latestTat + this.#slack > now || this.#latestBlock > now;
  }

  /** @internal Addresses remembered as blocked by the shared limiter (at most 10 000). */
  get blockedCount(): number {
    return this.#blocked.size;
  }

  /**
   * Whether the address may try again; when refused, `retryAfterMs` says when (the later of the
   * local count's and the shared block's). Consumes nothing and makes no round trip.
   *
   * @example
   * ```ts
   * const gate = failed.check('203.0.113.7');
   * if (!gate.allowed) res.setHeader('retry-after', Math.ceil(gate.retryAfterMs / 1000));
   * ```
   */
  check(address: string): RateLimitDecision {
    const local = this.#limiter.peek(address, this.#rule);
    if (this.#blocked.size === 0) return local;
    const until = this.#blocked.get(address);
    if (until === undefined) return local;
    const now = this.#now();
    if (until <= now) {
      this.#blocked.delete(address);
      return local;
    }
    const wait = Math.ceil(until - now);
    if (!local.allowed && local.retryAfterMs >= wait) return local;
    return {
      allowed: false,
      limit: this.#rule.limit,
      remaining: 0,
      resetAt: Math.max(local.resetAt, Math.ceil(until)),
      retryAfterMs: wait,
    };
  }

  /**
   * Counts one failed attempt for the address: at once in this process and, with a shared
   * limiter, there too (in the background; never throws, never waits).
   *
   * @example
   * ```ts
   * if (!valid) failed.record('203.0.113.7');
   * ```
   */
  record(address: string): void {
    // `resetAt` is the address's TAT rounded up: never below the real one, so the bound holds.
    const { resetAt } = this.#limiter.consumeSync(address, this.#rule);
    if (resetAt > this.#latestTat) this.#latestTat = resetAt;
    if (this.#shared !== null) this.#recordShared(this.#shared, address);
  }

  /**
   * Resolves once every failure recorded so far has been answered by the shared limiter (at once
   * without one). For tests and shutdown.
   *
   * @example
   * ```ts
   * failed.record('203.0.113.7');
   * await failed.flush(); // the shared count and any block are now known here
   * ```
   */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  #recordShared(shared: RateLimiter, address: string): void {
    let consumed: Promise<RateLimitDecision>;
    try {
      consumed = shared.consume(SHARED_PREFIX + address, this.#rule);
    } catch (error) {
      this.#sharedFailed(error);
      return;
    }
    const settled = consumed.then(
      (decision) => this.#sharedAnswered(address, decision),
      (error: unknown) => this.#sharedFailed(error),
    );
    this.#pending.add(settled);
    void settled.finally(() => this.#pending.delete(settled));
  }

  #sharedAnswered(address: string, decision: RateLimitDecision): void {
    if (this.#sharedDown) {
      this.#sharedDown = false;
      this.#logger?.info?.('claude-auth: failed-attempts limiter available again');
    }
    if (decision.allowed) return;
    const until = this.#now() + Math.max(1, decision.retryAfterMs);
    const known = this.#blocked.get(address);
    if (known !== undefined && known >= until) return;
    this.#blocked.set(address, until); // full: expired blocks go first, then the oldest
    if (until > this.#latestBlock) this.#latestBlock = until;
  }

  /** The failure stays counted locally (it already is); warn once per outage. */
  #sharedFailed(error: unknown): void {
    if (this.#sharedDown) return;
    this.#sharedDown = true;
    this.#logger?.warn(
      'claude-auth: rate limiter unavailable for failed attempts; counting them per process',
      { error: error instanceof Error ? error.name : typeof error },
    );
  }
}
