/** `loadConfig()`: one JSON file plus environment variables, validated once, frozen. */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { ConfigurationError } from '../errors/claude-auth-error.js';
import {
  DEFAULT_CONFIG,
  MAX_CACHE_TTL_MS,
  deepFreeze,
  type ClaudeAuthConfig,
  type ClaudeAuthConfigInput,
} from './claude-auth-config.js';
import {
  LIMITER_ERROR_MODES,
  VERSION_POLICIES,
  VOCABULARIES,
  applyConfigInput,
  checkBaseUrl,
  checkCredentials,
  checkVersions,
  checkEnum,
  checkEnvironment,
  checkHost,
  checkLogLevel,
  checkRedisPrefix,
  checkRedisUrl,
  checkStoreUrl,
  checkTrustProxy,
  invalid,
  type MutableConfig,
  type ValueSource,
} from './config-schema.js';

/**
 * Every environment variable `loadConfig()` reads, in the order they are applied.
 *
 * @example
 * ```ts
 * for (const name of CONFIG_ENV_VARS) console.log(name, name in process.env ? 'set' : 'unset');
 * ```
 */
export const CONFIG_ENV_VARS = [
  'CLAUDE_AUTH_CONFIG',
  'CLAUDE_AUTH_ENVIRONMENT',
  'CLAUDE_AUTH_VERSION_POLICY',
  'CLAUDE_AUTH_API_VERSIONS',
  'CLAUDE_AUTH_CREDENTIALS',
  'CLAUDE_AUTH_ERROR_VOCABULARY',
  'CLAUDE_AUTH_STORE_URL',
  'CLAUDE_AUTH_REDIS_URL',
  'ANTHROPIC_BASE_URL',
  'PORT',
  'HOST',
  'CLAUDE_AUTH_REDIS_PREFIX',
  'CLAUDE_AUTH_RATE_LIMIT_RPM',
  'CLAUDE_AUTH_RATE_LIMIT_BURST',
  'CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM',
  'CLAUDE_AUTH_RATE_LIMIT_SHADOW',
  'CLAUDE_AUTH_ON_LIMITER_ERROR',
  'CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE',
  'CLAUDE_AUTH_TRUST_PROXY',
  'CLAUDE_AUTH_CACHE_TTL_MS',
  'CLAUDE_AUTH_LOG_LEVEL',
  'CLAUDE_AUTH_REDIS_TIMEOUT_MS',
] as const;

/** Options of {@link loadConfig}; all optional. */
export interface LoadConfigOptions {
  /** Environment to read; defaults to `process.env`. Empty values count as unset. */
  env?: NodeJS.ProcessEnv | Record<string, string | undefined>;
  /** JSON config file; defaults to `CLAUDE_AUTH_CONFIG`. Relative paths resolve from the cwd. */
  file?: string;
  /** Applied last, over the file and the environment; validated like the file. */
  overrides?: ClaudeAuthConfigInput;
}

const INTEGER = /^\d+$/;
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const OFF = new Set(['off', 'none', '0']);

function envInteger(
  value: string,
  where: ValueSource,
  min: number,
  max: number,
  expected?: string,
): number {
  const n = INTEGER.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
  return invalid(where, expected ?? `an integer from ${min} to ${max}`, value);
}

function envRpm(value: string, where: ValueSource): number | null {
  if (OFF.has(value.toLowerCase())) return null;
  return envInteger(value, where, 1, 10_000_000, 'a positive integer, or off');
}

const VERSION_ENTRY = /^([^=\s]+)=([a-z]+)((?:;[A-Za-z]+=[^;]*)*)$/;

/**
 * `CLAUDE_AUTH_API_VERSIONS`: comma-separated `<version>=<status>` entries, each optionally
 * followed by `;deprecatedAt=<date>` and `;sunsetAt=<date>`, e.g.
 * `2027-01-01=current,2026-10-21=supported,2023-01-01=deprecated;sunsetAt=2027-06-30`.
 */
function parseVersionsEnv(value: string, where: ValueSource): Record<string, unknown> {
  const expected =
    'comma-separated <version>=<status> entries, e.g. 2027-01-01=current,2023-01-01=deprecated;sunsetAt=2027-06-30';
  const entries: Record<string, unknown> = {};
  for (const raw of value.split(',')) {
    const match = VERSION_ENTRY.exec(raw.trim());
    if (match === null) return invalid(where, expected, raw.trim());
    const info: Record<string, string> = { status: match[2]! };
    for (const pair of match[3]!.split(';').slice(1)) {
      const [name, date] = pair.split('=') as [string, string];
      info[name] = date;
    }
    entries[match[1]!] = info;
  }
  return entries;
}

/** Applies every set, non-empty configuration variable of `env` onto `target`. */
function applyEnv(target: MutableConfig, env: Record<string, string | undefined>): void {
  const read = (name: (typeof CONFIG_ENV_VARS)[number]): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const at = (field: string): ValueSource => ({ field });
  let value: string | undefined;

  if ((value = read('CLAUDE_AUTH_ENVIRONMENT')) !== undefined) {
    target.environment = checkEnvironment(value, at('CLAUDE_AUTH_ENVIRONMENT'));
  }
  if ((value = read('CLAUDE_AUTH_VERSION_POLICY')) !== undefined) {
    target.versionPolicy = checkEnum(value, VERSION_POLICIES, at('CLAUDE_AUTH_VERSION_POLICY'));
  }
  if ((value = read('CLAUDE_AUTH_API_VERSIONS')) !== undefined) {
    const where = at('CLAUDE_AUTH_API_VERSIONS');
    target.versions = checkVersions(parseVersionsEnv(value, where), target.versions, where);
  }
  if ((value = read('CLAUDE_AUTH_CREDENTIALS')) !== undefined) {
    const list = value.split(',').map((item) => item.trim().toLowerCase());
    target.credentials = checkCredentials(list, at('CLAUDE_AUTH_CREDENTIALS'));
  }
  if ((value = read('CLAUDE_AUTH_ERROR_VOCABULARY')) !== undefined) {
    target.vocabulary = checkEnum(value, VOCABULARIES, at('CLAUDE_AUTH_ERROR_VOCABULARY'));
  }
  if ((value = read('CLAUDE_AUTH_STORE_URL')) !== undefined) {
    target.storeUrl = checkStoreUrl(value, at('CLAUDE_AUTH_STORE_URL'));
  }
  if ((value = read('CLAUDE_AUTH_REDIS_URL')) !== undefined) {
    target.redisUrl = checkRedisUrl(value, at('CLAUDE_AUTH_REDIS_URL'));
  }
  if ((value = read('ANTHROPIC_BASE_URL')) !== undefined) {
    target.upstreamBaseUrl = checkBaseUrl(value, at('ANTHROPIC_BASE_URL'));
  }
  if ((value = read('PORT')) !== undefined) target.port = envInteger(value, at('PORT'), 0, 65_535);
  if ((value = read('HOST')) !== undefined) target.host = checkHost(value, at('HOST'));
  if ((value = read('CLAUDE_AUTH_REDIS_PREFIX')) !== undefined) {
    target.redisPrefix = checkRedisPrefix(value, at('CLAUDE_AUTH_REDIS_PREFIX'));
  }

  if ((value = read('CLAUDE_AUTH_RATE_LIMIT_RPM')) !== undefined) {
    const rpm = envRpm(value, at('CLAUDE_AUTH_RATE_LIMIT_RPM'));
    target.rateLimit.key = rpm === null ? null : { rpm };
  }
  if ((value = read('CLAUDE_AUTH_RATE_LIMIT_BURST')) !== undefined) {
    const where = at('CLAUDE_AUTH_RATE_LIMIT_BURST');
    const burst = envInteger(value, where, 1, 10_000_000, 'a positive integer');
    if (target.rateLimit.key === null) {
      invalid(where, 'unset while the key rate limit is off (set CLAUDE_AUTH_RATE_LIMIT_RPM)');
    }
    target.rateLimit.key = { ...target.rateLimit.key, burst };
  }
  if ((value = read('CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM')) !== undefined) {
    const rpm = envRpm(value, at('CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM'));
    target.rateLimit.workspace = rpm === null ? null : { rpm };
  }
  if ((value = read('CLAUDE_AUTH_RATE_LIMIT_SHADOW')) !== undefined) {
    const lower = value.toLowerCase();
    if (TRUE.has(lower)) target.rateLimit.shadow = true;
    else if (FALSE.has(lower)) target.rateLimit.shadow = false;
    else
      invalid(
        at('CLAUDE_AUTH_RATE_LIMIT_SHADOW'),
        'one of true, false, 1, 0, yes, no, on, off',
        value,
      );
  }
  if ((value = read('CLAUDE_AUTH_ON_LIMITER_ERROR')) !== undefined) {
    target.rateLimit.onLimiterError = checkEnum(
      value,
      LIMITER_ERROR_MODES,
      at('CLAUDE_AUTH_ON_LIMITER_ERROR'),
    );
  }
  if ((value = read('CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE')) !== undefined) {
    target.failedAuth.maxPerMinute = envInteger(
      value,
      at('CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE'),
      0,
      1_000_000,
    );
  }
  if ((value = read('CLAUDE_AUTH_TRUST_PROXY')) !== undefined) {
    const where = at('CLAUDE_AUTH_TRUST_PROXY');
    const lower = value.toLowerCase();
    target.trustProxy = FALSE.has(lower)
      ? false
      : checkTrustProxy(INTEGER.test(value) ? Number(value) : value, where);
  }
  if ((value = read('CLAUDE_AUTH_CACHE_TTL_MS')) !== undefined) {
    target.cache.ttlMs = envInteger(value, at('CLAUDE_AUTH_CACHE_TTL_MS'), 0, MAX_CACHE_TTL_MS);
  }
  if ((value = read('CLAUDE_AUTH_LOG_LEVEL')) !== undefined) {
    target.logLevel = checkLogLevel(value, at('CLAUDE_AUTH_LOG_LEVEL'));
  }
  if ((value = read('CLAUDE_AUTH_REDIS_TIMEOUT_MS')) !== undefined) {
    target.redis.commandTimeoutMs = envInteger(
      value,
      at('CLAUDE_AUTH_REDIS_TIMEOUT_MS'),
      1,
      60_000,
    );
  }
}

function readConfigFile(path: string, from: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigurationError(
      `Cannot read config file ${path} (from ${from})${typeof code === 'string' ? `: ${code}` : ''}`,
      { code: 'CLAUDE_AUTH_CONFIG_FILE_UNREADABLE', field: from, cause: error },
    );
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw new ConfigurationError(`Config file ${path} is not valid JSON${detail}`, {
      code: 'CLAUDE_AUTH_CONFIG_FILE_INVALID',
      field: from,
      cause: error,
    });
  }
}

function copyDefaults(): MutableConfig {
  return {
    ...DEFAULT_CONFIG,
    rateLimit: {
      ...DEFAULT_CONFIG.rateLimit,
      key: DEFAULT_CONFIG.rateLimit.key === null ? null : { ...DEFAULT_CONFIG.rateLimit.key },
      workspace:
        DEFAULT_CONFIG.rateLimit.workspace === null
          ? null
          : { ...DEFAULT_CONFIG.rateLimit.workspace },
    },
    credentials: [...DEFAULT_CONFIG.credentials],
    failedAuth: { ...DEFAULT_CONFIG.failedAuth },
    trustProxy: Array.isArray(DEFAULT_CONFIG.trustProxy)
      ? [...(DEFAULT_CONFIG.trustProxy as readonly string[])]
      : (DEFAULT_CONFIG.trustProxy as false | number),
    cache: { ...DEFAULT_CONFIG.cache },
    redis: { ...DEFAULT_CONFIG.redis },
  };
}

/**
 * Loads the one configuration shared by every claude-auth service: defaults, then the JSON file
 * named by `file` or `CLAUDE_AUTH_CONFIG` (unknown keys are errors), then environment variables
 * ({@link CONFIG_ENV_VARS}), then `overrides`. Everything is validated once; a bad value throws a
 * `ConfigurationError` naming the field and the expected form (e.g. `CLAUDE_AUTH_VERSION_POLICY
 * must be one of allow, warn, reject`). The result is deeply frozen.
 *
 * @example
 * ```ts
 * const config = loadConfig(); // reads process.env and CLAUDE_AUTH_CONFIG
 * const auth = createAuthenticator({ ...toAuthenticatorOptions(config), store });
 * app.listen(config.port);
 * ```
 */
export function loadConfig(options: LoadConfigOptions = {}): ClaudeAuthConfig {
  const env = options.env ?? process.env;
  const config = copyDefaults();

  const fromEnv = env.CLAUDE_AUTH_CONFIG?.trim();
  const file = options.file ?? (fromEnv === '' ? undefined : fromEnv);
  if (file !== undefined) {
    const path = resolvePath(file);
    const from = options.file !== undefined ? 'file option' : 'CLAUDE_AUTH_CONFIG';
    applyConfigInput(config, readConfigFile(path, from), ` in ${path}`, true);
  }
  applyEnv(config, env);
  if (options.overrides !== undefined)
    applyConfigInput(config, options.overrides, ' in loadConfig overrides');

  return deepFreeze(config);
}
