/**
 * The small validators the options schema is built from (no schema dependency). Each takes the
 * value and where it came from, returns the value in its resolved form, or throws one
 * `ConfigurationError` naming the field and the expected form. Values that may hold credentials
 * (URLs) are never echoed.
 */
import { isIP } from 'node:net';
import { ConfigurationError } from '../errors/claude-auth-error.js';
import type { RateLimitPolicy } from '../store/key-store.js';
import { mergeVersionRegistry, type ApiVersionRegistry } from '../versions.js';
import { CREDENTIALS_EXPECTED, parseCredentialCarriers } from '../auth/credential.js';
import type { CredentialCarrier } from '../auth/credential.js';
import {
  TRUST_PROXY_EXPECTED,
  parseTrustProxy,
  type NormalizedTrustProxy,
} from '../auth/trust-proxy.js';
import { invalid, rejectNull, type ValueSource } from './config-problem.js';

/** @internal One of `allowed`, else throws. @example `checkEnum('warn', VERSION_POLICIES, { field: 'versionPolicy' })` */
export function checkEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  where: ValueSource,
): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  return invalid(where, `one of ${allowed.join(', ')}`, value);
}

/** @internal An integer within `range`, else throws. @example `checkInteger(3000, { field: 'port' }, { min: 0, max: 65535 })` */
export function checkInteger(
  value: unknown,
  where: ValueSource,
  range: { min: number; max: number },
  expected?: string,
): number {
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= range.min &&
    value <= range.max
  ) {
    return value;
  }
  return invalid(where, expected ?? `an integer from ${range.min} to ${range.max}`, value);
}

/** @internal A boolean, else throws. @example `checkBoolean(true, { field: 'rateLimit.shadow' })` */
export function checkBoolean(value: unknown, where: ValueSource): boolean {
  if (typeof value === 'boolean') return value;
  return invalid(where, 'true or false', value);
}

const ENVIRONMENT_PATTERN = /^[a-z0-9]{1,16}$/;

/** @internal A key environment name (`[a-z0-9]{1,16}`), else throws. @example `checkEnvironment('live', where)` */
export function checkEnvironment(value: unknown, where: ValueSource): string {
  if (typeof value === 'string' && ENVIRONMENT_PATTERN.test(value)) return value;
  return invalid(where, '1 to 16 lower-case letters or digits, e.g. live or test', value);
}

/** Largest `rpm` and `burst` a rate-limit policy may have. */
export const MAX_RPM = 10_000_000;
const POLICY_EXPECTED = 'false or an object { "rpm": <integer>, "burst"?: <integer> }';

/** @internal `{ rpm, burst? }` or `false` (off), else throws. @example `checkRateLimitPolicy({ rpm: 60 }, { field: 'rateLimit.key' })` */
export function checkRateLimitPolicy(value: unknown, where: ValueSource): RateLimitPolicy | false {
  if (value === false) return false;
  if (value === null) return rejectNull(where, true);
  if (typeof value !== 'object' || Array.isArray(value)) {
    return invalid(where, POLICY_EXPECTED, value);
  }
  const record = value as Record<string, unknown>;
  rejectUnknownKeys(record, ['rpm', 'burst'], where);
  const positive = { min: 1, max: MAX_RPM };
  const rpm = checkInteger(record.rpm, sub(where, 'rpm'), positive, 'a positive integer');
  if (record.burst === undefined) return { rpm };
  const burst = checkInteger(record.burst, sub(where, 'burst'), positive, 'a positive integer');
  return { rpm, burst };
}

/** @internal A list of credential carriers, else throws. @example `checkCredentials(['x-api-key'], { field: 'credentials' })` */
export function checkCredentials(value: unknown, where: ValueSource): CredentialCarrier[] {
  const carriers = parseCredentialCarriers(value);
  if (carriers === undefined) return invalid(where, CREDENTIALS_EXPECTED, value);
  return [...carriers];
}

/**
 * @internal Applies version registry entries onto `registry`, else throws naming the entry.
 * @example `checkVersions({ '2027-01-01': { status: 'current' } }, API_VERSIONS, { field: 'versions' })`
 */
export function checkVersions(
  value: unknown,
  where: ValueSource,
  registry: ApiVersionRegistry,
): ApiVersionRegistry {
  return mergeVersionRegistry(
    value,
    where.field,
    (field, expected, got) => invalid({ ...where, field }, expected, got),
    registry,
  );
}

const HOSTNAME_PATTERN =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** @internal An IP address or a host name to listen on, else throws. @example `checkHost('0.0.0.0', { field: 'HOST' })` */
export function checkHost(value: unknown, where: ValueSource): string {
  if (typeof value === 'string' && (isIP(value) !== 0 || HOSTNAME_PATTERN.test(value))) {
    return value;
  }
  return invalid(where, 'an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or ::', value);
}

const REDIS_PREFIX_PATTERN = /^[\x21-\x7e]{1,64}$/;

/** @internal A Redis key prefix: 1 to 64 printable ASCII characters, no spaces, else throws. @example `checkRedisPrefix('app:', where)` */
export function checkRedisPrefix(value: unknown, where: ValueSource): string {
  if (typeof value === 'string' && REDIS_PREFIX_PATTERN.test(value)) return value;
  return invalid(
    where,
    '1 to 64 printable ASCII characters without spaces, e.g. claude-auth:',
    value,
  );
}

/** @internal A `trustProxy` setting, normalised, else throws. @example `checkTrustProxy(['loopback'], { field: 'trustProxy' })` */
export function checkTrustProxy(value: unknown, where: ValueSource): NormalizedTrustProxy {
  if (value === null) return rejectNull(where, true);
  const parsed = parseTrustProxy(value);
  if (parsed === undefined) return invalid(where, TRUST_PROXY_EXPECTED, value);
  return Array.isArray(parsed) ? [...(parsed as readonly string[])] : parsed;
}

/** @internal A function, else throws. @example `checkFunction(Date.now, { field: 'now' })` */
export function checkFunction<T>(value: unknown, where: ValueSource): T {
  if (typeof value === 'function') return value as T;
  return invalid(where, 'a function', value);
}

/**
 * @internal An object with the given methods, else throws.
 * @example `checkObjectWith(console, ['warn', 'error'], { field: 'logger' })`
 */
export function checkObjectWith<T>(
  value: unknown,
  methods: readonly string[],
  where: ValueSource,
): T {
  const record = value as Record<string, unknown> | null;
  if (
    typeof value === 'object' &&
    record !== null &&
    methods.every((name) => typeof record[name] === 'function')
  ) {
    return value as T;
  }
  const what = methods.length === 0 ? 'an object' : `an object with ${methods.join(', ')} methods`;
  return invalid(where, what, value);
}

/** @internal The field path one level down. @example `sub({ field: 'rateLimit' }, 'key').field === 'rateLimit.key'` */
export function sub(where: ValueSource, key: string): ValueSource {
  return { ...where, field: where.field === '' ? key : `${where.field}.${key}` };
}

/** @internal Throws for the first key of `record` not in `allowed`. @example `rejectUnknownKeys({ prot: 1 }, ['port'])` */
export function rejectUnknownKeys(
  record: Record<string, unknown>,
  allowed: readonly string[],
  where?: ValueSource,
): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      const field = where === undefined || where.field === '' ? key : `${where.field}.${key}`;
      throw new ConfigurationError(
        `Unknown configuration key ${field}${where?.origin ?? ''}: expected one of ${allowed.join(', ')}`,
        { code: 'CLAUDE_AUTH_UNKNOWN_CONFIG_KEY', field },
      );
    }
  }
}
