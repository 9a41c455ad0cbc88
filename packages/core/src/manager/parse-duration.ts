import { InvalidRequestError } from '../errors/claude-auth-error.js';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION_RE = /^(\d{1,9})(ms|s|m|h|d|w)$/;

/**
 * Parses a duration such as `45s`, `10m`, `1h`, `30d`, `2w` or `500ms` into milliseconds.
 * Throws `InvalidRequestError` for anything else (no fractions, no combined units).
 *
 * @example
 * ```ts
 * const expiresAt = new Date(Date.now() + parseDuration('30d'));
 * ```
 */
export function parseDuration(value: string): number {
  const match = typeof value === 'string' ? DURATION_RE.exec(value.trim()) : null;
  if (!match) {
    throw new InvalidRequestError(
      'Invalid duration: use a whole number followed by ms, s, m, h, d or w (e.g. 30d)',
    );
  }
  return Number(match[1]) * UNITS[match[2]!]!;
}
