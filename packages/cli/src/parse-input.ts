import { KEY_PATTERN, parseDuration, type KeyKind, type KeyStatus } from '@claude-auth/core';
import { InvalidInputError } from './exit-codes.js';

/**
 * A user-supplied value quoted for an error message: at most 40 characters, and never a key (a
 * value that contains something shaped like a secret is not echoed at all).
 *
 * @example
 * ```ts
 * quoteInput('ten'); // '"ten"'
 * ```
 */
export function quoteInput(value: string): string {
  if (KEY_PATTERN.test(value)) return '(a value that looks like an API key, not shown)';
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

const KEY_STATUSES: readonly KeyStatus[] = ['active', 'inactive', 'archived', 'expired'];
const KEY_KINDS: readonly KeyKind[] = ['api', 'admin'];

/**
 * A positive integer option value (`--rpm 60`), or {@link InvalidInputError}.
 *
 * @example
 * ```ts
 * parsePositiveInteger('60', '--rpm'); // 60
 * ```
 */
export function parsePositiveInteger(value: string, flag: string, max = 1_000_000_000): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new InvalidInputError(
      `${flag} must be an integer from 1 to ${max}, got ${quoteInput(value)}`,
    );
  }
  return n;
}

/**
 * A non-negative dollar amount (`--monthly-usd 100`), or {@link InvalidInputError}.
 *
 * @example
 * ```ts
 * parseUsd('12.5', '--monthly-usd'); // 12.5
 * ```
 */
export function parseUsd(value: string, flag: string): number {
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(n) || n > 1_000_000_000) {
    throw new InvalidInputError(
      `${flag} must be a dollar amount such as 100 or 12.50, got ${quoteInput(value)}`,
    );
  }
  return n;
}

/**
 * A comma-separated permission list (`messages:write,models:read`), trimmed and de-duplicated;
 * the key manager validates each name.
 *
 * @example
 * ```ts
 * parsePermissions('a, b,a'); // ['a', 'b']
 * ```
 */
export function parsePermissions(value: string): string[] {
  const items = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return [...new Set(items)];
}

/**
 * A key status for `keys list --status`.
 *
 * @example
 * ```ts
 * parseKeyStatus('active'); // 'active'
 * ```
 */
export function parseKeyStatus(value: string): KeyStatus {
  const status = KEY_STATUSES.find((s) => s === value);
  if (status === undefined) {
    throw new InvalidInputError(
      `--status must be one of ${KEY_STATUSES.join(', ')}, got ${quoteInput(value)}`,
    );
  }
  return status;
}

/**
 * A key kind for `keys create --kind`.
 *
 * @example
 * ```ts
 * parseKeyKind('admin'); // 'admin'
 * ```
 */
export function parseKeyKind(value: string): KeyKind {
  const kind = KEY_KINDS.find((k) => k === value);
  if (kind === undefined) {
    throw new InvalidInputError(
      `--kind must be one of ${KEY_KINDS.join(', ')}, got ${quoteInput(value)}`,
    );
  }
  return kind;
}

/**
 * A duration such as `30d`, `1h`, `10m` or `45s`, in milliseconds.
 *
 * @example
 * ```ts
 * parseDurationOption('10m', '--grace'); // 600000
 * ```
 */
export function parseDurationOption(value: string, flag: string): number {
  let ms: number;
  try {
    ms = parseDuration(value.trim());
  } catch {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms) || ms < 0) {
    throw new InvalidInputError(
      `${flag} must be a duration such as 30d, 1h, 10m or 45s, got ${quoteInput(value)}`,
    );
  }
  return ms;
}

/**
 * `--rpm`/`--burst`/`--clear` → a policy, or `null` to clear.
 *
 * @example
 * ```ts
 * parseRateLimitOptions({ rpm: '60', burst: '10' }); // { rpm: 60, burst: 10 }
 * ```
 */
export function parseRateLimitOptions(opts: {
  rpm?: string;
  burst?: string;
  clear?: boolean;
}): { rpm: number; burst?: number } | null {
  if (opts.clear === true) {
    if (opts.rpm !== undefined || opts.burst !== undefined) {
      throw new InvalidInputError('--clear cannot be combined with --rpm or --burst');
    }
    return null;
  }
  if (opts.rpm === undefined) throw new InvalidInputError('--rpm is required (or --clear)');
  const rpm = parsePositiveInteger(opts.rpm, '--rpm', 1_000_000);
  if (opts.burst === undefined) return { rpm };
  return { rpm, burst: parsePositiveInteger(opts.burst, '--burst', 1_000_000) };
}
