import { InvalidRequestError } from '../errors/claude-auth-error.js';
import type { KeyKind, RateLimitPolicy } from '../store/key-store.js';

/** Longest key or workspace name. */
export const MAX_NAME_LENGTH = 256;
/** Most permissions one key may carry. */
export const MAX_PERMISSIONS = 100;
/** Highest accepted `rpm` or `burst`. */
export const MAX_RATE = 1_000_000;

/** `*`, or lower-case segments separated by `:` (e.g. `messages:write`, `admin:*`). */
export const PERMISSION_PATTERN =
  /^(?:\*|[a-z0-9][a-z0-9_.-]{0,63}(?::(?:\*|[a-z0-9][a-z0-9_.-]{0,63})){0,3})$/;

const ENVIRONMENT_RE = /^[a-z0-9]{1,16}$/;

/**
 * A trimmed name of 1 to 256 characters, else `InvalidRequestError`.
 *
 * @example
 * ```ts
 * const name = validateName(input.name, 'name');
 * ```
 */
export function validateName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string') throw new InvalidRequestError(`${field} must be a string`);
  const name = value.trim();
  if (name.length === 0) throw new InvalidRequestError(`${field} must not be empty`);
  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidRequestError(`${field} must be at most ${MAX_NAME_LENGTH} characters`);
  }
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw new InvalidRequestError(`${field} must not contain control characters`);
  }
  return name;
}

/**
 * A de-duplicated list of valid permission strings, else `InvalidRequestError`.
 *
 * @example
 * ```ts
 * validatePermissions(['messages:write', 'models:read']);
 * ```
 */
export function validatePermissions(value: unknown): string[] {
  if (!Array.isArray(value))
    throw new InvalidRequestError('permissions must be an array of strings');
  if (value.length > MAX_PERMISSIONS) {
    throw new InvalidRequestError(`permissions may hold at most ${MAX_PERMISSIONS} entries`);
  }
  const out: string[] = [];
  for (const permission of value as unknown[]) {
    if (typeof permission !== 'string' || !PERMISSION_PATTERN.test(permission)) {
      throw new InvalidRequestError(
        'Each permission must be "*" or lower-case segments separated by ":" (e.g. "messages:write")',
      );
    }
    if (!out.includes(permission)) out.push(permission);
  }
  return out;
}

/**
 * A valid rate-limit policy (or `null`), else `InvalidRequestError`.
 *
 * @example
 * ```ts
 * validateRateLimit({ rpm: 60, burst: 10 });
 * ```
 */
export function validateRateLimit(value: unknown): RateLimitPolicy | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object')
    throw new InvalidRequestError('rateLimit must be an object { rpm, burst? }');
  const { rpm, burst } = value as { rpm?: unknown; burst?: unknown };
  const valid = (n: unknown): n is number =>
    typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_RATE;
  if (!valid(rpm))
    throw new InvalidRequestError(`rateLimit.rpm must be an integer from 1 to ${MAX_RATE}`);
  if (burst === undefined) return { rpm };
  if (!valid(burst))
    throw new InvalidRequestError(`rateLimit.burst must be an integer from 1 to ${MAX_RATE}`);
  return { rpm, burst };
}

/**
 * `api` or `admin`, else `InvalidRequestError`.
 *
 * @example
 * ```ts
 * validateKind(input.kind ?? 'api');
 * ```
 */
export function validateKind(value: unknown): KeyKind {
  if (value !== 'api' && value !== 'admin')
    throw new InvalidRequestError('kind must be "api" or "admin"');
  return value;
}

/**
 * An environment name matching `[a-z0-9]{1,16}`, else `InvalidRequestError`.
 *
 * @example
 * ```ts
 * validateEnvironment('live');
 * ```
 */
export function validateEnvironment(value: unknown): string {
  if (typeof value !== 'string' || !ENVIRONMENT_RE.test(value)) {
    throw new InvalidRequestError('environment must match [a-z0-9]{1,16}');
  }
  return value;
}

/**
 * A valid `Date` strictly after `now` (or `null`), else `InvalidRequestError`.
 *
 * @example
 * ```ts
 * validateExpiry(input.expiresAt, new Date());
 * ```
 */
export function validateExpiry(value: unknown, now: Date): Date | null {
  if (value === null || value === undefined) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidRequestError('expiresAt must be a valid date');
  }
  if (value.getTime() <= now.getTime())
    throw new InvalidRequestError('expiresAt must be in the future');
  return new Date(value.getTime());
}
