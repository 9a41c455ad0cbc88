import type { Logger } from '@claude-auth/core';
import {
  validateRateLimitRule,
  type CircuitBreaker,
  type RateLimitDecision,
  type RateLimitRule,
  type RateLimiter,
} from '@claude-auth/core/store';
import type { Redis } from 'ioredis';
import { GCRA_SCRIPT } from './gcra-script.js';
import { redisBreaker, type RedisBreakerOptions } from './redis-breaker.js';
import { toLimiterError } from './redis-errors.js';

/** Options of {@link RedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** The client (see `createRedisClient`); not closed by `close()`. */
  client: Redis;
  /** Prefix of every key this limiter writes. Default `claude-auth:rl:`. */
  prefix?: string;
  /**
   * Circuit breaker: after a timeout or connection error, calls fail at once (the pipeline falls
   * back to its per-process limiter without waiting) while a background `PING` probes Redis.
   * `false` disables it. Default `{ probeIntervalMs: 500 }`.
   */
  breaker?: RedisBreakerOptions | false;
  /** Receives one warning per outage and one line on recovery (from the breaker). */
  logger?: Logger;
}

type GcraReply = [allowed: number, remaining: number, resetAt: number, retryAfterMs: number];
type GcraClient = Redis & {
  claudeAuthGcra(key: string, interval: string, burst: string, cost: string): Promise<GcraReply>;
};

const COMMAND = 'claudeAuthGcra';

/** Escapes Redis glob metacharacters so a string matches only itself in SCAN MATCH. */
function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, '\\$&');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A {@link RateLimiter} shared by every instance through Redis: GCRA in one Lua script per
 * decision, on the Redis server's clock. With `limit` N and `burst` N exactly N of any number of
 * simultaneous requests pass, across any number of clients.
 *
 * - The script is registered with `defineCommand` (EVALSHA); after a `SCRIPT FLUSH` or a Redis
 *   restart ioredis gets `NOSCRIPT` and re-sends it with EVAL, transparently.
 * - Keys are `<prefix><key>:<limit>:<windowMs>:<burst>`, so changing a policy starts a fresh
 *   bucket instead of mixing states, and each key expires once its bucket is full again.
 * - Every Redis failure or timeout rejects with `LimiterUnavailableError` (the pipeline then
 *   falls back to a per-process limiter, or fails closed, as configured). After the first one a
 *   circuit breaker makes the next calls reject at once, without waiting for the command timeout,
 *   until a background `PING` succeeds.
 *
 * @example
 * ```ts
 * const limiter = new RedisRateLimiter({ client: createRedisClient('redis://127.0.0.1:6379') });
 * const decision = await limiter.consume('key:key_123', { limit: 60, windowMs: 60_000 });
 * ```
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #client: GcraClient;
  readonly #prefix: string;
  readonly #breaker: CircuitBreaker | null;

  constructor(options: RedisRateLimiterOptions) {
    this.#prefix = options.prefix ?? 'claude-auth:rl:';
    options.client.defineCommand(COMMAND, { numberOfKeys: 1, lua: GCRA_SCRIPT });
    this.#client = options.client as GcraClient;
    this.#breaker = redisBreaker(
      options.client,
      'Redis rate limiter',
      options.breaker,
      options.logger,
    );
  }

  /** The circuit breaker (`null` when disabled): `state` is `open` while Redis is known down. */
  get breaker(): CircuitBreaker | null {
    return this.#breaker;
  }

  /** {@inheritDoc RateLimiter.consume} */
  async consume(key: string, rule: RateLimitRule, cost = 1): Promise<RateLimitDecision> {
    const burst = validateRateLimitRule(rule, cost);
    const interval = (rule.windowMs * 1000) / rule.limit;
    let reply: GcraReply;
    const call = () =>
      this.#client.claudeAuthGcra(
        this.stateKey(key, rule),
        interval.toPrecision(17),
        String(burst),
        String(cost),
      );
    try {
      reply = await (this.#breaker ? this.#breaker.run(call) : call());
    } catch (error) {
      throw toLimiterError(error);
    }
    const [allowed, remaining, resetAt, retryAfterMs] = reply;
    return { allowed: allowed === 1, limit: rule.limit, remaining, resetAt, retryAfterMs };
  }

  /**
   * The Redis key holding `key`'s state under `rule`.
   *
   * @example
   * ```ts
   * limiter.stateKey('key:key_1', { limit: 60, windowMs: 60_000 }); // 'claude-auth:rl:key:key_1:60:60000:60'
   * ```
   */
  stateKey(key: string, rule: RateLimitRule): string {
    return `${this.#prefix}${key}:${rule.limit}:${rule.windowMs}:${rule.burst ?? rule.limit}`;
  }

  /** Forgets `key` under every rule (SCAN for its state keys, then UNLINK). */
  async reset(key: string): Promise<void> {
    const base = `${this.#prefix}${key}`;
    const exact = new RegExp(`^${escapeRegExp(base)}:\\d+:[0-9.e+]+:\\d+$`);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.#client.scan(
          cursor,
          'MATCH',
          `${escapeGlob(base)}:*`,
          'COUNT',
          1000,
        );
        cursor = next;
        const mine = keys.filter((k) => exact.test(k));
        if (mine.length > 0) await this.#client.unlink(...mine);
      } while (cursor !== '0');
    } catch (error) {
      throw toLimiterError(error);
    }
  }

  /** Stops the breaker's probe; the client belongs to the caller. */
  async close(): Promise<void> {
    this.#breaker?.close();
  }
}
