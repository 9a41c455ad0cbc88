/** How a bad configuration value is reported: one `ConfigurationError` naming the field. */
import { ConfigurationError } from '../errors/claude-auth-error.js';

/** Where a value came from, for error messages: a file path, `environment`, or `overrides`. */
export interface ValueSource {
  /** The field as the user wrote it: `rateLimit.key.rpm` or `CLAUDE_AUTH_RATE_LIMIT_RPM`. */
  field: string;
  /** Appended after the field: ` in /etc/claude-auth.json`, or empty. */
  origin?: string;
}

function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * Throws the configuration error for one field.
 *
 * @example
 * ```ts
 * invalid({ field: 'CLAUDE_AUTH_VERSION_POLICY' }, 'one of allow, warn, reject', 'nope');
 * // ConfigurationError: CLAUDE_AUTH_VERSION_POLICY must be one of allow, warn, reject (got "nope")
 * ```
 */
export function invalid(where: ValueSource, expected: string, got?: unknown, echo = true): never {
  const suffix = echo && got !== undefined ? ` (got ${show(got)})` : '';
  throw new ConfigurationError(`${where.field}${where.origin ?? ''} must be ${expected}${suffix}`, {
    code: 'CLAUDE_AUTH_INVALID_CONFIG',
    field: where.field,
  });
}
