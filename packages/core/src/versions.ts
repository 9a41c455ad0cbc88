/** The API versions this library knows, and how a request's `anthropic-version` is judged. */

/** Every known version and its status. */
export const API_VERSIONS = {
  '2023-06-01': 'current',
  '2023-01-01': 'deprecated',
} as const;

/** A version string this library knows. */
export type ApiVersion = keyof typeof API_VERSIONS;

/** The version sent when none is given, and recommended by the spec. */
export const DEFAULT_API_VERSION: ApiVersion = '2023-06-01';

/** What to do with a deprecated version: accept silently, accept with a warning, or refuse. */
export type VersionPolicy = 'allow' | 'warn' | 'reject';

/** The verdict on one version string under a policy. */
export interface VersionCheck {
  /** `current`, `deprecated` or `unknown` (also for a missing header). */
  status: 'current' | 'deprecated' | 'unknown';
  /** Whether the request may go on. */
  accepted: boolean;
  /** Whether a `deprecation` header and a log warning are due. */
  warn: boolean;
}

/** True when `value` is a known version. */
export function isApiVersion(value: unknown): value is ApiVersion {
  return typeof value === 'string' && Object.hasOwn(API_VERSIONS, value);
}

/**
 * Judges a version string under a policy.
 *
 * @example
 * ```ts
 * checkVersion('2023-01-01', 'warn'); // { status: 'deprecated', accepted: true, warn: true }
 * checkVersion('2023-01-01', 'reject'); // { status: 'deprecated', accepted: false, warn: false }
 * checkVersion(undefined, 'allow'); // { status: 'unknown', accepted: false, warn: false }
 * ```
 */
export function checkVersion(value: string | undefined, policy: VersionPolicy): VersionCheck {
  if (!isApiVersion(value)) return { status: 'unknown', accepted: false, warn: false };
  if (API_VERSIONS[value] === 'current') return { status: 'current', accepted: true, warn: false };
  if (policy === 'reject') return { status: 'deprecated', accepted: false, warn: false };
  return { status: 'deprecated', accepted: true, warn: policy === 'warn' };
}
