import type { RateLimitDecision } from '../limits/rate-limiter.js';

/** Response header names for rate limits (Claude API names). */
export const RATE_LIMIT_HEADERS = {
  limit: 'anthropic-ratelimit-requests-limit',
  remaining: 'anthropic-ratelimit-requests-remaining',
  reset: 'anthropic-ratelimit-requests-reset',
  retryAfter: 'retry-after',
} as const;

// Formatting a date is the costliest part of these headers; resets cluster within the same
// second, so the last result is remembered.
let lastSecond = Number.NaN;
let lastText = '';

/**
 * RFC 3339 UTC time of an epoch-ms instant, rounded **up** to the whole second (a reset is never
 * announced earlier than it happens), e.g. `2025-01-01T00:00:01Z`.
 *
 * @example
 * ```ts
 * formatResetTime(Date.UTC(2025, 0, 1, 0, 0, 0, 250)); // '2025-01-01T00:00:01Z'
 * ```
 */
export function formatResetTime(epochMs: number): string {
  const second = Math.ceil(epochMs / 1000);
  if (second !== lastSecond) {
    // toISOString gives `YYYY-MM-DDTHH:mm:ss.000Z`; drop the zero milliseconds.
    const iso = new Date(second * 1000).toISOString();
    lastText = `${iso.slice(0, 19)}Z`;
    lastSecond = second;
  }
  return lastText;
}

/**
 * Whole seconds for `retry-after`: `ceil(ms / 1000)`, at least 1, so that a client waiting that
 * long is never early.
 *
 * @example
 * ```ts
 * retryAfterSeconds(1200); // 2
 * retryAfterSeconds(0.5); // 1
 * ```
 */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * The `anthropic-ratelimit-requests-*` headers for a decision (plus `retry-after` when it was
 * refused), written into `target` when given (no extra object on the hot path).
 *
 * @example
 * ```ts
 * const d = await limiter.consume('key:key_1', { limit: 60, windowMs: 60_000 });
 * rateLimitHeaders(d);
 * // { 'anthropic-ratelimit-requests-limit': '60', '...-remaining': '59', '...-reset': '2025-...Z' }
 * ```
 */
export function rateLimitHeaders(
  decision: RateLimitDecision,
  target: Record<string, string> = {},
): Record<string, string> {
  target[RATE_LIMIT_HEADERS.limit] = String(decision.limit);
  target[RATE_LIMIT_HEADERS.remaining] = String(decision.remaining);
  target[RATE_LIMIT_HEADERS.reset] = formatResetTime(decision.resetAt);
  if (!decision.allowed) {
    target[RATE_LIMIT_HEADERS.retryAfter] = String(retryAfterSeconds(decision.retryAfterMs));
  }
  return target;
}
