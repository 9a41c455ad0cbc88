import type { Logger } from '@claude-auth/core';
import { CircuitBreaker } from '@claude-auth/core/store';
import type { Redis } from 'ioredis';

/** Circuit-breaker settings of a Redis role (limiter, spend ledger, invalidation bus). */
export interface RedisBreakerOptions {
  /** Time between two background `PING`s while Redis is considered down. Default 500 ms. */
  probeIntervalMs?: number;
}

/** Replies from a live server that still mean "cannot serve now". */
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY)\b/;

/**
 * Whether a Redis failure means the server is unreachable, slow or not ready (opens the breaker),
 * as opposed to an error reply to a well-formed command.
 *
 * @example
 * ```ts
 * isRedisOutage(new Error('Command timed out')); // true
 * ```
 */
export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  if (error.name !== 'ReplyError') return true;
  return UNAVAILABLE_REPLY.test(error.message);
}

/**
 * The breaker of one Redis role: opened by the first timeout or connection error, probed with
 * `PING` (under the client's command timeout) in the background. `null` when disabled.
 *
 * @example
 * ```ts
 * const breaker = redisBreaker(client, 'Redis rate limiter', options.breaker, options.logger);
 * ```
 */
export function redisBreaker(
  client: Redis,
  name: string,
  options: RedisBreakerOptions | false | undefined,
  logger: Logger | undefined,
): CircuitBreaker | null {
  if (options === false) return null;
  return new CircuitBreaker({
    name,
    probe: () => client.ping(),
    probeIntervalMs: options?.probeIntervalMs ?? 500,
    isOutage: isRedisOutage,
    logger,
  });
}
