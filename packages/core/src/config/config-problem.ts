/** How a bad configuration value is reported: one `ConfigurationError` naming the field. */
import { ConfigurationError } from '../errors/claude-auth-error.js';
import type { ConfigErrorCode } from './config-error-codes.js';

/** Where a value came from, for error messages: a file path, `environment`, or the options. */
export interface ValueSource {
  /** The field as the user wrote it: `rateLimit.key.rpm` or `CLAUDE_AUTH_RATE_LIMIT_RPM`. */
  field: string;
  /** Appended after the field: ` in /etc/claude-auth.json`, or empty. */
  origin?: string;
  /**
   * The error code of the door the value came in by: `CLAUDE_AUTH_INVALID_CONFIG` (`loadConfig`,
   * the default) or `CLAUDE_AUTH_INVALID_OPTION` (`createAuthenticator`).
   */
  code?: ConfigErrorCode;
  /** The text as written (an environment variable), echoed instead of the parsed value. */
  raw?: string;
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
 * Throws the configuration error for one field. The message is the same whichever door the value
 * came in by (`createAuthenticator` or `loadConfig`); only `origin` (a file) and the code differ.
 *
 * @example
 * ```ts
 * invalid({ field: 'CLAUDE_AUTH_VERSION_POLICY' }, 'one of allow, warn, reject', 'nope');
 * // ConfigurationError: CLAUDE_AUTH_VERSION_POLICY must be one of allow, warn, reject (got "nope")
 * ```
 */
export function invalid(where: ValueSource, expected: string, got?: unknown, echo = true): never {
  const shown = where.raw ?? got;
  const suffix = echo && shown !== undefined ? ` (got ${show(shown)})` : '';
  throw new ConfigurationError(`${where.field}${where.origin ?? ''} must be ${expected}${suffix}`, {
    code: where.code ?? 'CLAUDE_AUTH_INVALID_CONFIG',
    field: where.field,
  });
}

/**
 * Throws the error for a `null` value: `false` switches a feature off, leaving a field out keeps
 * its default; `null` is never a third spelling of either.
 *
 * @example
 * ```ts
 * rejectNull({ field: 'rateLimit.key' }, true);
 * // ConfigurationError: rateLimit.key must not be null: use false to switch it off
 * ```
 */
export function rejectNull(where: ValueSource, canBeOff: boolean): never {
  const hint = canBeOff ? 'use false to switch it off' : 'leave it out for the default';
  throw new ConfigurationError(`${where.field}${where.origin ?? ''} must not be null: ${hint}`, {
    code: where.code ?? 'CLAUDE_AUTH_INVALID_CONFIG',
    field: where.field,
  });
}
