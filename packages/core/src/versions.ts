/**
 * The API versions this library knows, as data: a registry of versions with a status and
 * optional deprecation and sunset dates, and how a request's `anthropic-version` is judged.
 */

/** A version's place in its life cycle. */
export type VersionStatus = 'current' | 'supported' | 'deprecated' | 'retired';

/** What the registry knows about one version. Dates are `YYYY-MM-DD` (UTC midnight). */
export interface ApiVersionInfo {
  readonly status: VersionStatus;
  /** When it was (or will be) deprecated: sent in the `deprecation` header (RFC 9745). */
  readonly deprecatedAt?: string;
  /** When it stops working: sent in the `sunset` header (RFC 8594); from then on it is retired. */
  readonly sunsetAt?: string;
}

/** A registry: version string (`YYYY-MM-DD`) → what is known about it. */
export type ApiVersionRegistry = Readonly<Record<string, ApiVersionInfo>>;

/** An `anthropic-version` value: a date `YYYY-MM-DD`. */
export type ApiVersion = string;

/**
 * The statuses of a version, in life-cycle order.
 *
 * @example
 * ```ts
 * VERSION_STATUSES.includes('retired'); // true
 * ```
 */
export const VERSION_STATUSES: readonly VersionStatus[] = [
  'current',
  'supported',
  'deprecated',
  'retired',
];

/**
 * The default registry: `2026-10-21` current (today's official TypeScript SDK), `2023-06-01`
 * supported (the spec's recommended version; the 0.x SDKs and the Python SDK send it),
 * `2023-01-01` deprecated. The shared configuration (`versions`, `CLAUDE_AUTH_API_VERSIONS`) adds
 * versions and changes statuses without a release.
 *
 * @example
 * ```ts
 * API_VERSIONS['2026-10-21'].status; // 'current'
 * ```
 */
export const API_VERSIONS: ApiVersionRegistry = Object.freeze({
  '2026-10-21': Object.freeze({ status: 'current' }),
  '2023-06-01': Object.freeze({ status: 'supported' }),
  '2023-01-01': Object.freeze({ status: 'deprecated' }),
} satisfies Record<string, ApiVersionInfo>);

/** The version outbound requests send when none is given: the spec's recommended one. */
export const DEFAULT_API_VERSION: ApiVersion = '2023-06-01';

/** What to do with a deprecated version: accept silently, accept with a warning, or refuse. */
export type VersionPolicy = 'allow' | 'warn' | 'reject';

/** The verdict on one version string under a policy. */
export interface VersionCheck {
  /** The registry's status, `retired` once a sunset date has passed, `unknown` (also when missing). */
  status: VersionStatus | 'unknown';
  /** Whether the request may go on. */
  accepted: boolean;
  /** Whether `deprecation` (and `sunset`) headers and a log warning are due. */
  warn: boolean;
}

const VERSION_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True for a well-formed version string: a real calendar date `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * isVersionString('2026-10-21'); // true
 * isVersionString('2026-02-30'); // false
 * ```
 */
export function isVersionString(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = VERSION_PATTERN.exec(value);
  if (match === null) return false;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(time).toISOString().startsWith(value);
}

/** Epoch milliseconds of a `YYYY-MM-DD` date (UTC midnight). */
function dateMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/**
 * True when `value` is a version in `registry` (default {@link API_VERSIONS}), whatever its status.
 *
 * @example
 * ```ts
 * isApiVersion('2023-06-01'); // true
 * isApiVersion('2024-01-01'); // false
 * ```
 */
export function isApiVersion(
  value: unknown,
  registry: ApiVersionRegistry = API_VERSIONS,
): value is ApiVersion {
  return typeof value === 'string' && Object.hasOwn(registry, value);
}

/**
 * The status of a version string in `registry` at `now`: `retired` once its sunset date has
 * passed, `unknown` when the registry does not name it (or it is missing). Allocates nothing, so
 * the request path can call it.
 *
 * @example
 * ```ts
 * versionStatus('2023-06-01', API_VERSIONS, Date.now()); // 'supported'
 * versionStatus('latest', API_VERSIONS, Date.now()); // 'unknown'
 * ```
 */
export function versionStatus(
  value: unknown,
  registry: ApiVersionRegistry,
  now: number,
): VersionStatus | 'unknown' {
  if (!isApiVersion(value, registry)) return 'unknown';
  const info = registry[value]!;
  if (info.sunsetAt !== undefined && dateMs(info.sunsetAt) <= now) return 'retired';
  return info.status;
}

/**
 * Judges a version string under a policy, against `registry` (default {@link API_VERSIONS}) at
 * `now` (default the current time; a passed sunset date retires a version).
 *
 * @example
 * ```ts
 * checkVersion('2026-10-21', 'warn'); // { status: 'current', accepted: true, warn: false }
 * checkVersion('2023-01-01', 'warn'); // { status: 'deprecated', accepted: true, warn: true }
 * checkVersion('2023-01-01', 'reject'); // { status: 'deprecated', accepted: false, warn: false }
 * checkVersion(undefined, 'allow'); // { status: 'unknown', accepted: false, warn: false }
 * ```
 */
export function checkVersion(
  value: unknown,
  policy: VersionPolicy,
  registry: ApiVersionRegistry = API_VERSIONS,
  now: number = Date.now(),
): VersionCheck {
  const status = versionStatus(value, registry, now);
  if (status === 'unknown' || status === 'retired') return { status, accepted: false, warn: false };
  if (status !== 'deprecated') return { status, accepted: true, warn: false };
  if (policy === 'reject') return { status, accepted: false, warn: false };
  return { status, accepted: true, warn: policy === 'warn' };
}

/**
 * The versions a service accepts under `policy` at `now`, newest first: current and supported
 * ones, and deprecated ones unless the policy is `reject`. What a 400 for an unusable version
 * names.
 *
 * @example
 * ```ts
 * acceptedVersions(API_VERSIONS, 'warn'); // ['2026-10-21', '2023-06-01', '2023-01-01']
 * acceptedVersions(API_VERSIONS, 'reject'); // ['2026-10-21', '2023-06-01']
 * ```
 */
export function acceptedVersions(
  registry: ApiVersionRegistry,
  policy: VersionPolicy,
  now: number = Date.now(),
): string[] {
  return Object.keys(registry)
    .filter((version) => checkVersion(version, policy, registry, now).accepted)
    .sort()
    .reverse();
}

/**
 * The response headers for a deprecated version: `deprecation` (RFC 9745 `@<epoch seconds>` when
 * the registry dates it, else `version="<version>"`) and `sunset` (an HTTP date) when dated.
 *
 * @example
 * ```ts
 * deprecationHeaders('2023-01-01', { status: 'deprecated', sunsetAt: '2027-01-01' });
 * // { deprecation: 'version="2023-01-01"', sunset: 'Fri, 01 Jan 2027 00:00:00 GMT' }
 * ```
 */
export function deprecationHeaders(version: string, info: ApiVersionInfo): Record<string, string> {
  const headers: Record<string, string> = {
    deprecation:
      info.deprecatedAt === undefined
        ? `version="${version}"`
        : `@${Math.floor(dateMs(info.deprecatedAt) / 1000)}`,
  };
  if (info.sunsetAt !== undefined) headers.sunset = new Date(dateMs(info.sunsetAt)).toUTCString();
  return headers;
}

/** How a registry problem is reported: the caller's error convention, same checks everywhere. */
export type VersionRegistryProblem = (field: string, expected: string, got?: unknown) => never;

/**
 * Validates registry entries (`{ "2027-01-01": { "status": "current", "sunsetAt"?: … } }`) and
 * returns {@link API_VERSIONS} (or `base`) with them applied, frozen. Both the authenticator's
 * options and `loadConfig()` use it, each reporting problems in its own error form through
 * `problem(field, expected, got)`.
 *
 * @example
 * ```ts
 * const registry = mergeVersionRegistry({ '2023-01-01': { status: 'retired' } }, 'versions', fail);
 * registry['2023-01-01'].status; // 'retired'
 * ```
 */
export function mergeVersionRegistry(
  input: unknown,
  field: string,
  problem: VersionRegistryProblem,
  base: ApiVersionRegistry = API_VERSIONS,
): ApiVersionRegistry {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return problem(field, 'an object of version → { status, deprecatedAt?, sunsetAt? }', input);
  }
  const merged: Record<string, ApiVersionInfo> = { ...base };
  for (const [version, value] of Object.entries(input as Record<string, unknown>)) {
    const at = `${field}.${version}`;
    if (!isVersionString(version)) return problem(at, 'named by a date YYYY-MM-DD', version);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return problem(at, 'an object { status, deprecatedAt?, sunsetAt? }', value);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key !== 'status' && key !== 'deprecatedAt' && key !== 'sunsetAt') {
        return problem(`${at}.${key}`, 'absent (known fields: status, deprecatedAt, sunsetAt)');
      }
    }
    const status = record.status ?? merged[version]?.status;
    if (!VERSION_STATUSES.includes(status as VersionStatus)) {
      return problem(`${at}.status`, `one of ${VERSION_STATUSES.join(', ')}`, record.status);
    }
    const info: { status: VersionStatus; deprecatedAt?: string; sunsetAt?: string } = {
      status: status as VersionStatus,
    };
    for (const key of ['deprecatedAt', 'sunsetAt'] as const) {
      const date = record[key];
      if (date === undefined || date === null) continue;
      if (!isVersionString(date)) return problem(`${at}.${key}`, 'a date YYYY-MM-DD', date);
      info[key] = date;
    }
    merged[version] = Object.freeze(info);
  }
  return Object.freeze(merged);
}
