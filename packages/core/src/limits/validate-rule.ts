import { ConfigurationError } from '../errors/claude-auth-error.js';
import type { RateLimitRule } from './rate-limiter.js';

/**
 * Checks a rule and a cost once, for every `RateLimiter` implementation, and returns the burst
 * (`rule.burst`, default `rule.limit`). Throws `ConfigurationError` for a non-positive or
 * non-integer limit, burst or cost, or a non-positive window.
 *
 * @example
 * ```ts
 * const burst = validateRateLimitRule({ limit: 50, windowMs: 60_000 }, 1); // 50
 * ```
 */
export function validateRateLimitRule(rule: RateLimitRule, cost: number): number {
  const { limit, windowMs } = rule;
  const burst = rule.burst ?? limit;
  if (
    !Number.isInteger(limit) ||
    limit < 1 ||
    !Number.isFinite(windowMs) ||
    !(windowMs > 0) ||
    !Number.isInteger(burst) ||
    burst < 1
  ) {
    throw new ConfigurationError(
      'A rate-limit rule needs a positive integer limit and burst and a positive windowMs',
      { code: 'CLAUDE_AUTH_INVALID_RATE_LIMIT', field: 'rateLimit' },
    );
  }
  if (!Number.isInteger(cost) || cost < 1) {
    throw new ConfigurationError('cost must be a positive integer', {
      code: 'CLAUDE_AUTH_INVALID_RATE_LIMIT',
      field: 'cost',
    });
  }
  return burst;
}
