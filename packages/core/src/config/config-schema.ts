/**
 * Hand-written validation of configuration values (no schema dependency). Every failure is a
 * `ConfigurationError` naming the field (a config path or an environment variable) and the
 * expected form. Values that may hold credentials (URLs) are never echoed.
 */
import { isIP } from 'node:net';
import { ConfigurationError } from '../errors/claude-auth-error.js';
import type { RateLimitPolicy } from '../store/key-store.js';
import {
  LOG_LEVELS,
  MAX_CACHE_TTL_MS,
  type ClaudeAuthConfig,
  type LimiterErrorMode,
  type LogLevel,
} from './claude-auth-config.js';
import type { ErrorVocabulary } from '../errors/error-table.js';
import { mergeVersionRegistry, type VersionPolicy } from '../versions.js';
import { checkPriceTable } from '../proxy/price-table-config.js';
import { CREDENTIALS_EXPECTED, parseCredentialCarriers } from '../auth/credential.js';
import type { CredentialCarrier } from '../auth/credential.js';
import {
  TRUST_PROXY_EXPECTED,
  parseTrustProxy,
  type NormalizedTrustProxy,
} from '../auth/trust-proxy.js';

import { invalid, type ValueSource } from './config-problem.js';

export { invalid, type ValueSource } from './config-problem.js';
export { checkBaseUrl, checkRedisUrl, checkStoreUrl } from './url-checks.js';
import { checkBaseUrl, checkRedisUrl, checkStoreUrl } from './url-checks.js';

/** A deeply writable version of `T`. */
export type DeepWritable<T> = T extends object
  ? { -readonly [K in keyof T]: DeepWritable<T[K]> }
  : T;

/** A writable copy of the resolved configuration, built up layer by layer. */
export type MutableConfig = DeepWritable<ClaudeAuthConfig>;

/** @internal Allowed `versionPolicy` values. @example `checkEnum('warn', VERSION_POLICIES, where)` */
export const VERSION_POLICIES: readonly VersionPolicy[] = ['allow', 'warn', 'reject'];
/** @internal Allowed `vocabulary` values. @example `checkEnum('spec', VOCABULARIES, where)` */
export const VOCABULARIES: readonly ErrorVocabulary[] = ['spec', 'claude'];
/** @internal Allowed `rateLimit.onLimiterError` values. @example `checkEnum('fallback', LIMITER_ERROR_MODES, where)` */
export const LIMITER_ERROR_MODES: readonly LimiterErrorMode[] = ['fallback', 'fail-closed'];

const ENVIRONMENT_PATTERN = /^[a-z0-9]{1,16}$/;

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

/** @internal A key environment name (`[a-z0-9]{1,16}`), else throws. @example `checkEnvironment('live', where)` */
export function checkEnvironment(value: unknown, where: ValueSource): string {
  if (typeof value === 'string' && ENVIRONMENT_PATTERN.test(value)) return value;
  return invalid(where, '1 to 16 lower-case letters or digits, e.g. live or test', value);
}

const MAX_RPM = 10_000_000;

/** @internal `{ rpm, burst? }` or null, else throws. @example `checkRateLimitPolicy({ rpm: 60 }, { field: 'rateLimit.key' })` */
export function checkRateLimitPolicy(value: unknown, where: ValueSource): RateLimitPolicy | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    return invalid(where, 'null or an object { "rpm": <integer>, "burst"?: <integer> }', value);
  }
  const record = value as Record<string, unknown>;
  rejectUnknownKeys(record, ['rpm', 'burst'], where);
  const rpm = checkInteger(
    record.rpm,
    sub(where, 'rpm'),
    { min: 1, max: MAX_RPM },
    'a positive integer',
  );
  if (record.burst === undefined) return { rpm };
  const burst = checkInteger(
    record.burst,
    sub(where, 'burst'),
    { min: 1, max: MAX_RPM },
    'a positive integer',
  );
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
  registry: MutableConfig['versions'],
  where: ValueSource,
): MutableConfig['versions'] {
  return mergeVersionRegistry(
    value,
    where.field,
    (field, expected, got) => invalid({ field, origin: where.origin }, expected, got),
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

/** @internal One of {@link LOG_LEVELS}, else throws. @example `checkLogLevel('info', where)` */
export function checkLogLevel(value: unknown, where: ValueSource): LogLevel {
  return checkEnum(value, LOG_LEVELS, where);
}

/** @internal A `trustProxy` setting, normalised, else throws. @example `checkTrustProxy(['loopback'], { field: 'trustProxy' })` */
export function checkTrustProxy(
  value: unknown,
  where: ValueSource,
): Exclude<NormalizedTrustProxy, readonly string[]> | string[] {
  const parsed = parseTrustProxy(value);
  if (parsed === undefined) return invalid(where, TRUST_PROXY_EXPECTED, value);
  return Array.isArray(parsed) ? [...(parsed as readonly string[])] : (parsed as false | number);
}

/** @internal The field path one level down. @example `sub({ field: 'rateLimit' }, 'key').field === 'rateLimit.key'` */
export function sub(where: ValueSource, key: string): ValueSource {
  return { field: `${where.field}.${key}`, origin: where.origin };
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

function checkSection(
  value: unknown,
  where: ValueSource,
  allowed: readonly string[],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(where, 'an object', value);
  }
  const record = value as Record<string, unknown>;
  rejectUnknownKeys(record, allowed, where);
  return record;
}

const TOP_LEVEL_KEYS = [
  'environment',
  'versionPolicy',
  'versions',
  'credentials',
  'vocabulary',
  'storeUrl',
  'redisUrl',
  'upstreamBaseUrl',
  'port',
  'host',
  'redisPrefix',
  'rateLimit',
  'failedAuth',
  'trustProxy',
  'cache',
  'redis',
  'logLevel',
  'prices',
] as const;

/**
 * Validates a (partial) configuration object from a file or from overrides and applies it onto
 * `target`. Unknown keys at any level are errors; `undefined` values are skipped.
 *
 * @example
 * ```ts
 * applyConfigInput(target, JSON.parse(text), ' in /etc/claude-auth.json');
 * ```
 */
export function applyConfigInput(
  target: MutableConfig,
  input: unknown,
  origin: string,
  allowSchemaKey = false,
): void {
  const root: ValueSource = { field: '', origin };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigurationError(`Configuration${origin} must be a JSON object`, {
      code: 'CLAUDE_AUTH_INVALID_CONFIG',
    });
  }
  const record = input as Record<string, unknown>;
  rejectUnknownKeys(record, allowSchemaKey ? [...TOP_LEVEL_KEYS, '$schema'] : TOP_LEVEL_KEYS, root);
  const at = (field: string): ValueSource => ({ field, origin });

  if (record.environment !== undefined)
    target.environment = checkEnvironment(record.environment, at('environment'));
  if (record.versionPolicy !== undefined) {
    target.versionPolicy = checkEnum(record.versionPolicy, VERSION_POLICIES, at('versionPolicy'));
  }
  if (record.versions !== undefined)
    target.versions = checkVersions(record.versions, target.versions, at('versions'));
  if (record.credentials !== undefined)
    target.credentials = checkCredentials(record.credentials, at('credentials'));
  if (record.vocabulary !== undefined)
    target.vocabulary = checkEnum(record.vocabulary, VOCABULARIES, at('vocabulary'));
  if (record.storeUrl !== undefined)
    target.storeUrl = checkStoreUrl(record.storeUrl, at('storeUrl'));
  if (record.redisUrl !== undefined)
    target.redisUrl = checkRedisUrl(record.redisUrl, at('redisUrl'));
  if (record.upstreamBaseUrl !== undefined) {
    target.upstreamBaseUrl = checkBaseUrl(record.upstreamBaseUrl, at('upstreamBaseUrl'));
  }
  if (record.port !== undefined)
    target.port = checkInteger(record.port, at('port'), { min: 0, max: 65_535 });
  if (record.host !== undefined) target.host = checkHost(record.host, at('host'));
  if (record.redisPrefix !== undefined)
    target.redisPrefix = checkRedisPrefix(record.redisPrefix, at('redisPrefix'));
  if (record.logLevel !== undefined)
    target.logLevel = checkLogLevel(record.logLevel, at('logLevel'));
  if (record.prices !== undefined)
    target.prices = checkPriceTable(record.prices, target.prices, origin);

  if (record.rateLimit !== undefined) {
    const where = at('rateLimit');
    const section = checkSection(record.rateLimit, where, [
      'key',
      'workspace',
      'shadow',
      'onLimiterError',
    ]);
    if (section.key !== undefined)
      target.rateLimit.key = checkRateLimitPolicy(section.key, sub(where, 'key'));
    if (section.workspace !== undefined) {
      target.rateLimit.workspace = checkRateLimitPolicy(section.workspace, sub(where, 'workspace'));
    }
    if (section.shadow !== undefined)
      target.rateLimit.shadow = checkBoolean(section.shadow, sub(where, 'shadow'));
    if (section.onLimiterError !== undefined) {
      target.rateLimit.onLimiterError = checkEnum(
        section.onLimiterError,
        LIMITER_ERROR_MODES,
        sub(where, 'onLimiterError'),
      );
    }
  }
  if (record.failedAuth !== undefined) {
    const where = at('failedAuth');
    const section = checkSection(record.failedAuth, where, ['maxPerMinute']);
    if (section.maxPerMinute !== undefined) {
      target.failedAuth.maxPerMinute = checkInteger(
        section.maxPerMinute,
        sub(where, 'maxPerMinute'),
        {
          min: 0,
          max: 1_000_000,
        },
      );
    }
  }
  if (record.trustProxy !== undefined)
    target.trustProxy = checkTrustProxy(record.trustProxy, at('trustProxy'));
  if (record.cache !== undefined) {
    const where = at('cache');
    const section = checkSection(record.cache, where, ['ttlMs', 'negativeTtlMs', 'maxEntries']);
    if (section.ttlMs !== undefined) {
      target.cache.ttlMs = checkInteger(section.ttlMs, sub(where, 'ttlMs'), {
        min: 0,
        max: MAX_CACHE_TTL_MS,
      });
    }
    if (section.negativeTtlMs !== undefined) {
      target.cache.negativeTtlMs = checkInteger(
        section.negativeTtlMs,
        sub(where, 'negativeTtlMs'),
        {
          min: 0,
          max: MAX_CACHE_TTL_MS,
        },
      );
    }
    if (section.maxEntries !== undefined) {
      target.cache.maxEntries = checkInteger(section.maxEntries, sub(where, 'maxEntries'), {
        min: 1,
        max: 10_000_000,
      });
    }
  }
  if (record.redis !== undefined) {
    const where = at('redis');
    const section = checkSection(record.redis, where, ['commandTimeoutMs']);
    if (section.commandTimeoutMs !== undefined) {
      target.redis.commandTimeoutMs = checkInteger(
        section.commandTimeoutMs,
        sub(where, 'commandTimeoutMs'),
        {
          min: 1,
          max: 60_000,
        },
      );
    }
  }
}
