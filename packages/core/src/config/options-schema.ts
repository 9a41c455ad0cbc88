/**
 * The one options schema. Every option `createAuthenticator(options)` and `loadConfig()` (file,
 * environment, overrides) accept is one row of {@link OPTION_SCHEMA}: its validator (type and
 * range, the same message from either door), the doors it comes in by, its environment variables
 * and its documentation anchor. Defaults live once, in `DEFAULT_CONFIG`. `false` switches a feature
 * off everywhere; `null` is refused with a message saying so.
 */
import { checkPriceTable } from '../proxy/price-table-config.js';
import type { PriceTable } from '../proxy/price-table.js';
import type { ApiVersionRegistry } from '../versions.js';
import { DEFAULT_CONFIG, LOG_LEVELS, MAX_CACHE_TTL_MS } from './claude-auth-config.js';
import { CONFIG_DOCS } from './config-error-codes.js';
import { invalid, rejectNull, type ValueSource } from './config-problem.js';
import {
  checkBoolean,
  checkCredentials,
  checkEnum,
  checkEnvironment,
  checkFunction,
  checkHost,
  checkInteger,
  checkObjectWith,
  checkRateLimitPolicy,
  checkRedisPrefix,
  checkTrustProxy,
  checkVersions,
  rejectUnknownKeys,
  sub,
} from './option-checks.js';
import { checkBaseUrl, checkRedisUrl, checkStoreUrl } from './url-checks.js';

/** Which door an option comes in by: `createAuthenticator` (`options`), `loadConfig` (`config`) or both. */
export type OptionDoor = 'options' | 'config' | 'both';

/** One option: how it is checked, where it may be given, where it is documented. */
export interface OptionField {
  readonly kind: 'field';
  /** Validates one value into its resolved form; `current` is the value so far (merged maps). */
  readonly check: (value: unknown, where: ValueSource, current: unknown) => unknown;
  readonly doors: OptionDoor;
  /** Environment variables that set it (read by `loadConfig`). */
  readonly env?: readonly string[];
  /** Where it is documented: `…/docs/configuration.md#option-…`. */
  readonly docs: string;
  /** `false` switches it off (so a `null` gets "use false"). */
  readonly canBeOff: boolean;
  /** `null` is a value of its own (only `redisUrl`: no URL), not refused. */
  readonly acceptsNull: boolean;
}

/** An option that is an object of options; `canBeOff`: `false` switches the whole feature off. */
export interface OptionSection {
  readonly kind: 'section';
  readonly fields: Readonly<Record<string, OptionField>>;
  readonly doors: OptionDoor;
  readonly canBeOff: boolean;
  /** Where it is documented: `…/docs/configuration.md#option-…`. */
  readonly docs: string;
}

function field(
  check: OptionField['check'],
  docs: string,
  more: {
    doors?: OptionDoor;
    env?: readonly string[];
    canBeOff?: boolean;
    acceptsNull?: boolean;
  } = {},
): OptionField {
  return {
    kind: 'field',
    check,
    docs: `${CONFIG_DOCS}#${docs}`,
    doors: more.doors ?? 'both',
    env: more.env,
    canBeOff: more.canBeOff ?? false,
    acceptsNull: more.acceptsNull ?? false,
  };
}

function section(
  fields: Record<string, OptionField>,
  docs: string,
  more: { doors?: OptionDoor; canBeOff?: boolean } = {},
): OptionSection {
  return {
    kind: 'section',
    fields,
    docs: `${CONFIG_DOCS}#${docs}`,
    doors: more.doors ?? 'both',
    canBeOff: more.canBeOff ?? false,
  };
}

const oneOf =
  <T extends string>(allowed: readonly T[]) =>
  (value: unknown, where: ValueSource): T =>
    checkEnum(value, allowed, where);
const integer =
  (min: number, max: number) =>
  (value: unknown, where: ValueSource): number =>
    checkInteger(value, where, { min, max });
const liveObject =
  (...methods: string[]) =>
  (value: unknown, where: ValueSource): unknown =>
    checkObjectWith(value, methods, where);

/** @internal Allowed `versionPolicy` values. @example `VERSION_POLICIES.includes('warn')` */
export const VERSION_POLICIES = ['allow', 'warn', 'reject'] as const;
/** @internal Allowed `vocabulary` values. @example `VOCABULARIES.includes('spec')` */
export const VOCABULARIES = ['spec', 'claude'] as const;
/** @internal Allowed `rateLimit.onLimiterError` values. @example `LIMITER_ERROR_MODES.includes('fallback')` */
export const LIMITER_ERROR_MODES = ['fallback', 'fail-closed'] as const;

/**
 * Every option, one row each. The key is the option's name (a config file key, an
 * `AuthenticatorOptions` field, or both); sections hold their fields.
 *
 * @example
 * ```ts
 * OPTION_SCHEMA.cache.fields.ttlMs.env; // ['CLAUDE_AUTH_CACHE_TTL_MS']
 * ```
 */
export const OPTION_SCHEMA = {
  environment: field(checkEnvironment, 'option-environment', { env: ['CLAUDE_AUTH_ENVIRONMENT'] }),
  versionPolicy: field(oneOf(VERSION_POLICIES), 'option-version-policy', {
    env: ['CLAUDE_AUTH_VERSION_POLICY'],
  }),
  versions: field(
    (value, where, current) => checkVersions(value, where, current as ApiVersionRegistry),
    'option-versions',
    { env: ['CLAUDE_AUTH_API_VERSIONS'] },
  ),
  credentials: field(checkCredentials, 'option-credentials', { env: ['CLAUDE_AUTH_CREDENTIALS'] }),
  vocabulary: field(oneOf(VOCABULARIES), 'option-vocabulary', {
    env: ['CLAUDE_AUTH_ERROR_VOCABULARY'],
  }),
  storeUrl: field(checkStoreUrl, 'option-store-url', {
    doors: 'config',
    env: ['CLAUDE_AUTH_STORE_URL'],
  }),
  redisUrl: field(checkRedisUrl, 'option-redis-url', {
    doors: 'config',
    env: ['CLAUDE_AUTH_REDIS_URL'],
    canBeOff: true,
    acceptsNull: true,
  }),
  upstreamBaseUrl: field(checkBaseUrl, 'option-upstream-base-url', {
    doors: 'config',
    env: ['ANTHROPIC_BASE_URL'],
  }),
  port: field(integer(0, 65_535), 'option-port', { doors: 'config', env: ['PORT'] }),
  host: field(checkHost, 'option-host', { doors: 'config', env: ['HOST'] }),
  redisPrefix: field(checkRedisPrefix, 'option-redis-prefix', {
    doors: 'config',
    env: ['CLAUDE_AUTH_REDIS_PREFIX'],
  }),
  rateLimit: section(
    {
      key: field(checkRateLimitPolicy, 'option-rate-limit', {
        env: ['CLAUDE_AUTH_RATE_LIMIT_RPM', 'CLAUDE_AUTH_RATE_LIMIT_BURST'],
        canBeOff: true,
      }),
      workspace: field(checkRateLimitPolicy, 'option-rate-limit', {
        env: ['CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM'],
        canBeOff: true,
      }),
      shadow: field(checkBoolean, 'option-rate-limit', { env: ['CLAUDE_AUTH_RATE_LIMIT_SHADOW'] }),
      onLimiterError: field(oneOf(LIMITER_ERROR_MODES), 'option-rate-limit', {
        env: ['CLAUDE_AUTH_ON_LIMITER_ERROR'],
      }),
    },
    'option-rate-limit',
  ),
  failedAuth: section(
    {
      maxPerMinute: field(integer(0, 1_000_000), 'option-failed-auth', {
        env: ['CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE'],
      }),
    },
    'option-failed-auth',
    { canBeOff: true },
  ),
  trustProxy: field(checkTrustProxy, 'option-trust-proxy', {
    env: ['CLAUDE_AUTH_TRUST_PROXY'],
    canBeOff: true,
  }),
  cache: section(
    {
      ttlMs: field(integer(0, MAX_CACHE_TTL_MS), 'option-cache', {
        env: ['CLAUDE_AUTH_CACHE_TTL_MS'],
      }),
      negativeTtlMs: field(integer(0, MAX_CACHE_TTL_MS), 'option-cache'),
      maxEntries: field(integer(1, 10_000_000), 'option-cache'),
    },
    'option-cache',
    { canBeOff: true },
  ),
  redis: section(
    {
      commandTimeoutMs: field(integer(1, 60_000), 'option-redis-timeout', {
        doors: 'config',
        env: ['CLAUDE_AUTH_REDIS_TIMEOUT_MS'],
      }),
    },
    'option-redis-timeout',
    { doors: 'config' },
  ),
  logLevel: field(oneOf(LOG_LEVELS), 'option-log-level', {
    doors: 'config',
    env: ['CLAUDE_AUTH_LOG_LEVEL'],
  }),
  prices: field(
    (value, where, current) => checkPriceTable(value, current as PriceTable, where),
    'option-prices',
    { doors: 'config', env: ['CLAUDE_AUTH_PRICES'] },
  ),
  // Live objects: createAuthenticator only.
  store: field(liveObject(), 'option-live-objects', { doors: 'options' }),
  keys: field(liveObject(), 'option-live-objects', { doors: 'options' }),
  rateLimiter: field(liveObject(), 'option-live-objects', { doors: 'options' }),
  spend: field(liveObject(), 'option-live-objects', { doors: 'options' }),
  invalidation: field(liveObject(), 'option-live-objects', { doors: 'options' }),
  logger: field(liveObject('warn', 'error'), 'option-live-objects', { doors: 'options' }),
  requestId: field(checkFunction, 'option-live-objects', { doors: 'options' }),
  now: field(checkFunction, 'option-live-objects', { doors: 'options' }),
} as const satisfies Record<string, OptionField | OptionSection>;

const opens = (doors: OptionDoor, door: 'options' | 'config'): boolean =>
  doors === 'both' || doors === door;

function keysFor(
  table: Readonly<Record<string, OptionField | OptionSection>>,
  door: 'options' | 'config',
): string[] {
  return Object.entries(table)
    .filter(([, def]) => opens(def.doors, door))
    .map(([name]) => name);
}

function checkInto(
  target: Record<string, unknown>,
  name: string,
  def: OptionField,
  value: unknown,
  where: ValueSource,
): void {
  if (value === undefined) return;
  if (value === null && !def.acceptsNull) rejectNull(where, def.canBeOff);
  target[name] = def.check(value, where, target[name]);
}

function applySection(
  target: Record<string, unknown>,
  name: string,
  def: OptionSection,
  value: unknown,
  where: ValueSource,
  door: 'options' | 'config',
): void {
  if (value === undefined) return;
  if (value === false && def.canBeOff) {
    target[name] = false;
    return;
  }
  if (value === null) rejectNull(where, def.canBeOff);
  if (typeof value !== 'object' || Array.isArray(value)) {
    invalid(where, def.canBeOff ? 'an object, or false to switch it off' : 'an object', value);
  }
  const record = value as Record<string, unknown>;
  rejectUnknownKeys(record, keysFor(def.fields, door), where);
  const current = target[name];
  const defaults = (DEFAULT_CONFIG as unknown as Record<string, unknown>)[name];
  const into = { ...((current === false ? defaults : current) as Record<string, unknown>) };
  for (const [key, sub_] of Object.entries(def.fields)) {
    checkInto(into, key, sub_, record[key], sub(where, key));
  }
  target[name] = into;
}

/**
 * Validates one layer of options (a config file, `loadConfig` overrides, or the options of
 * `createAuthenticator`) and applies it onto `target`. Unknown keys are errors, except at the top
 * of `createAuthenticator`'s options (adapters add their own there); `undefined` is skipped.
 *
 * @example
 * ```ts
 * applyOptions(config, JSON.parse(text), 'config', { field: '', origin: ' in claude-auth.json' });
 * ```
 */
export function applyOptions(
  target: Record<string, unknown>,
  input: Record<string, unknown>,
  door: 'options' | 'config',
  root: ValueSource,
  extraKeys: readonly string[] = [],
): void {
  const table = OPTION_SCHEMA as Readonly<Record<string, OptionField | OptionSection>>;
  if (door === 'config') rejectUnknownKeys(input, [...keysFor(table, door), ...extraKeys], root);
  for (const name of keysFor(table, door)) {
    const def = table[name]!;
    const where = sub(root, name);
    if (def.kind === 'section') applySection(target, name, def, input[name], where, door);
    else checkInto(target, name, def, input[name], where);
  }
}

/**
 * Turns the layered form into the resolved one: a feature set to zero is off (`false`):
 * `failedAuth.maxPerMinute: 0`, `cache.ttlMs: 0`.
 *
 * @example
 * ```ts
 * finishOptions(config); // config.cache === false after cache.ttlMs 0
 * ```
 */
export function finishOptions(target: Record<string, unknown>): void {
  const failedAuth = target.failedAuth as { maxPerMinute: number } | false;
  if (failedAuth !== false && failedAuth.maxPerMinute === 0) target.failedAuth = false;
  const cache = target.cache as { ttlMs: number } | false;
  if (cache !== false && cache.ttlMs === 0) target.cache = false;
}

/**
 * A writable copy of `DEFAULT_CONFIG` to apply layers onto (sections are replaced, never mutated,
 * so inner frozen values are shared).
 *
 * @example
 * ```ts
 * const layer = defaultLayer();
 * applyOptions(layer, { port: 8080 }, 'config', { field: '' });
 * ```
 */
export function defaultLayer(): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(DEFAULT_CONFIG)) {
    layer[name] = Array.isArray(value)
      ? [...(value as unknown[])]
      : typeof value === 'object' && value !== null && name !== 'versions' && name !== 'prices'
        ? { ...value }
        : value;
  }
  return layer;
}
