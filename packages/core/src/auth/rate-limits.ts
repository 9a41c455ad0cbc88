import { FallbackRateLimiter } from '../limits/fallback-rate-limiter.js';
import { MemoryRateLimiter } from '../limits/memory-rate-limiter.js';
import type { RateLimitDecision, RateLimitRule, RateLimiter } from '../limits/rate-limiter.js';
import type { RateLimitPolicy } from '../store/key-store.js';
import { BoundedMap } from '../util/bounded-map.js';
import type { ResolvedAuthenticatorOptions } from './authenticator-options.js';
import { expectedError, isPromise, refusal, StoreFault, type Step } from './pipeline-support.js';
import { rateLimitHeaders, retryAfterSeconds } from './rate-limit-headers.js';
import type { AuthResult } from './types.js';

const WINDOW_MS = 60_000;

/** The token-bucket rule of a policy (`burst` defaults to `rpm`). */
export function ruleOf(policy: RateLimitPolicy): RateLimitRule {
  return { limit: policy.rpm, windowMs: WINDOW_MS, burst: policy.burst ?? policy.rpm };
}

/**
 * The rate-limit step: consumes a token per key and per workspace, with the configured
 * limiter's outage mode (`fallback`: a `FallbackRateLimiter` decides per process while it fails;
 * `fail-closed`: a 503), shadow mode (count and log once a minute, never refuse) and the 429.
 *
 * @example
 * ```ts
 * const limits = new RateLimits(options);
 * const decision = await limits.consume('k:key_1', ruleOf({ rpm: 60 }));
 * ```
 */
export class RateLimits {
  readonly #o: ResolvedAuthenticatorOptions;
  readonly #limiter: RateLimiter;
  /**
   * Set when the configured limiter is the in-process one: decisions without a promise (the
   * sync fast path; its A/B is in `bench/tasks/pipeline-tricks.ts`).
   */
  readonly #sync: MemoryRateLimiter | null;
  readonly #fallback: FallbackRateLimiter | null;
  readonly #shadowLogged = new BoundedMap<string, number>(10_000);
  #down = false;
  /** Default rules (`null`: none), when a key or workspace has no policy of its own. */
  readonly keyRule: RateLimitRule | null;
  readonly workspaceRule: RateLimitRule | null;

  constructor(options: ResolvedAuthenticatorOptions) {
    this.#o = options;
    const limiter = options.rateLimiter;
    this.#sync = limiter instanceof MemoryRateLimiter ? limiter : null;
    this.#fallback =
      this.#sync === null && options.rateLimit.onLimiterError !== 'fail-closed'
        ? new FallbackRateLimiter({
            primary: limiter,
            fallback: new MemoryRateLimiter({ now: options.now }),
            logger: options.logger,
          })
        : null;
    this.#limiter = this.#fallback ?? limiter;
    this.keyRule = options.rateLimit.key === false ? null : ruleOf(options.rateLimit.key);
    this.workspaceRule =
      options.rateLimit.workspace === false ? null : ruleOf(options.rateLimit.workspace);
  }

  /** Takes one token from `bucket`; a fail-closed limiter's rejection becomes a `StoreFault`. */
  consume(bucket: string, rule: RateLimitRule): Step<RateLimitDecision> {
    if (this.#sync !== null) return this.#sync.consumeSync(bucket, rule);
    const decision = this.#limiter.consume(bucket, rule);
    if (this.#fallback !== null) return decision;
    return decision.then(
      (d) => {
        if (this.#down) {
          this.#down = false;
          this.#o.logger.info?.('claude-auth: rate limiter available again');
        }
        return d;
      },
      (error: unknown) => {
        if (!this.#down) {
          this.#down = true;
          this.#o.logger.warn(
            'claude-auth: rate limiter unavailable; refusing requests (onLimiterError: fail-closed)',
            { error: error instanceof Error ? error.name : typeof error },
          );
        }
        throw new StoreFault(error);
      },
    );
  }

  /** Consumes and calls `next` with the decision, synchronously when the limiter is. */
  then(
    bucket: string,
    rule: RateLimitRule,
    next: (decision: RateLimitDecision) => Step<AuthResult>,
  ): Step<AuthResult> {
    const decision = this.consume(bucket, rule);
    return isPromise(decision) ? decision.then(next) : next(decision);
  }

  /** Whether a decision lets the request on; in shadow mode always, logging refusals. */
  admit(
    now: number,
    requestId: string,
    decision: RateLimitDecision,
    scope: 'key' | 'workspace',
    id: string,
  ): boolean {
    if (decision.allowed) return true;
    if (!this.#o.rateLimit.shadow) return false;
    const subject = `${scope}:${id}`;
    const last = this.#shadowLogged.get(subject);
    if (last === undefined || now - last >= WINDOW_MS) {
      this.#shadowLogged.set(subject, now);
      this.#o.logger.warn('claude-auth: rate limit exceeded (shadow mode: not enforced)', {
        scope,
        id,
        limit: decision.limit,
        requestId,
      });
    }
    return true;
  }

  /** The 429 for a refused decision, with `retry-after` and the rate-limit headers. */
  refuse(requestId: string, decision: RateLimitDecision): AuthResult {
    const error = expectedError('rate_limited', {
      vocabulary: this.#o.vocabulary,
      requestId,
      retryAfter: retryAfterSeconds(decision.retryAfterMs),
    });
    return refusal(error, requestId, rateLimitHeaders(decision));
  }

  /** Frees the per-process fallback limiter. */
  async close(): Promise<void> {
    await this.#fallback?.close();
  }
}
