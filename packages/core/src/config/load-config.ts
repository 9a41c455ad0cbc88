/** `loadConfig()`: one JSON file plus environment variables, validated once, frozen. */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { ConfigurationError } from '../errors/claude-auth-error.js';
import {
  DEFAULT_CONFIG,
  deepFreeze,
  type ClaudeAuthConfig,
  type ClaudeAuthConfigInput,
} from './claude-auth-config.js';
import { invalid, type ValueSource } from './config-problem.js';
import { MAX_RPM } from './option-checks.js';
import { parsePricesEnv } from './prices-env.js';
import {
  OPTION_SCHEMA,
  applyOptions,
  defaultLayer,
  finishOptions,
  type OptionField,
  type OptionSection,
} from './options-schema.js';

type Layered = Record<string, unknown>;

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
  'CLAUDE_AUTH_PRICES',
] as const;

/** Options of {@link loadConfig}; all optional. */
export interface LoadConfigOptions {
  /** Environment to read; defaults to `process.env`. Empty values count as unset. */
  env?: NodeJS.ProcessEnv | Record<string, string | undefined>;
  /** JSON config file; defaults to `CLAUDE_AUTH_CONFIG`. Relative paths resolve from the cwd. */
  file?: string;
  /**
   * Applied last, over the file and the environment; validated like the file, with the same
   * messages as the same mistake in `createAuthenticator`'s options.
   */
  overrides?: ClaudeAuthConfigInput;
}

const INTEGER = /^\d+$/;
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const OFF = new Set(['off', 'none', '0']);

/** Sets one schema field (`port`, `cache.ttlMs`) from an environment variable, checked by the schema. */
function setField(config: Layered, path: string, value: unknown, where: ValueSource): void {
  const table = OPTION_SCHEMA as Readonly<Record<string, OptionField | OptionSection>>;
  const [head, tail] = path.split('.') as [string, string | undefined];
  const def = table[head]!;
  if (def.kind === 'field') {
    config[head] = def.check(value, where, config[head]);
    return;
  }
  if (tail === undefined) {
    config[head] = value; // only `false`: the whole section off
    return;
  }
  const current = config[head];
  const defaults = (DEFAULT_CONFIG as unknown as Layered)[head];
  const into = { ...((current === false ? defaults : current) as Layered) };
  into[tail] = def.fields[tail]!.check(value, where, into[tail]);
  config[head] = into;
}

/** An integer as written, else the text itself (so the schema's check names what was written). */
const numberOrText = (text: string): number | string => (INTEGER.test(text) ? Number(text) : text);

function envInteger(text: string, where: ValueSource, min: number, expected: string): number {
  const n = INTEGER.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= MAX_RPM) return n;
  return invalid(where, expected, text);
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
    if (match === null) return invalid({ ...where, raw: undefined }, expected, raw.trim());
    const info: Record<string, string> = { status: match[2]! };
    for (const pair of match[3]!.split(';').slice(1)) {
      const [name, date] = pair.split('=') as [string, string];
      info[name] = date;
    }
    entries[match[1]!] = info;
  }
  return entries;
}

type EnvVar = Exclude<(typeof CONFIG_ENV_VARS)[number], 'CLAUDE_AUTH_CONFIG'>;

/** How each variable's text becomes a schema value; the schema's check does the rest. */
const ENV_READERS: Record<EnvVar, (text: string, where: ValueSource, config: Layered) => void> = {
  CLAUDE_AUTH_ENVIRONMENT: (text, where, c) => setField(c, 'environment', text, where),
  CLAUDE_AUTH_VERSION_POLICY: (text, where, c) => setField(c, 'versionPolicy', text, where),
  CLAUDE_AUTH_API_VERSIONS: (text, where, c) =>
    setField(c, 'versions', parseVersionsEnv(text, where), { field: where.field }),
  CLAUDE_AUTH_CREDENTIALS: (text, where, c) =>
    setField(
      c,
      'credentials',
      text.split(',').map((item) => item.trim().toLowerCase()),
      { field: where.field },
    ),
  CLAUDE_AUTH_ERROR_VOCABULARY: (text, where, c) => setField(c, 'vocabulary', text, where),
  CLAUDE_AUTH_STORE_URL: (text, where, c) => setField(c, 'storeUrl', text, where),
  CLAUDE_AUTH_REDIS_URL: (text, where, c) => setField(c, 'redisUrl', text, where),
  ANTHROPIC_BASE_URL: (text, where, c) => setField(c, 'upstreamBaseUrl', text, where),
  PORT: (text, where, c) => setField(c, 'port', numberOrText(text), where),
  HOST: (text, where, c) => setField(c, 'host', text, where),
  CLAUDE_AUTH_REDIS_PREFIX: (text, where, c) => setField(c, 'redisPrefix', text, where),
  CLAUDE_AUTH_RATE_LIMIT_RPM: (text, where, c) => {
    if (OFF.has(text.toLowerCase())) return setField(c, 'rateLimit.key', false, where);
    const rpm = envInteger(text, where, 1, 'a positive integer, or off');
    setField(c, 'rateLimit.key', { rpm }, where);
  },
  CLAUDE_AUTH_RATE_LIMIT_BURST: (text, where, c) => {
    const burst = envInteger(text, where, 1, 'a positive integer');
    const key = (c.rateLimit as Layered).key;
    if (key === false) {
      invalid(
        { field: where.field },
        'unset while the key rate limit is off (set CLAUDE_AUTH_RATE_LIMIT_RPM)',
      );
    }
    setField(c, 'rateLimit.key', { ...(key as Layered), burst }, where);
  },
  CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM: (text, where, c) => {
    if (OFF.has(text.toLowerCase())) return setField(c, 'rateLimit.workspace', false, where);
    const rpm = envInteger(text, where, 1, 'a positive integer, or off');
    setField(c, 'rateLimit.workspace', { rpm }, where);
  },
  CLAUDE_AUTH_RATE_LIMIT_SHADOW: (text, where, c) => {
    const lower = text.toLowerCase();
    if (!TRUE.has(lower) && !FALSE.has(lower)) {
      invalid(where, 'one of true, false, 1, 0, yes, no, on, off', text);
    }
    setField(c, 'rateLimit.shadow', TRUE.has(lower), where);
  },
  CLAUDE_AUTH_ON_LIMITER_ERROR: (text, where, c) =>
    setField(c, 'rateLimit.onLimiterError', text, where),
  CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE: (text, where, c) =>
    setField(
      c,
      'failedAuth.maxPerMinute',
      text.toLowerCase() === 'off' ? 0 : numberOrText(text),
      where,
    ),
  CLAUDE_AUTH_TRUST_PROXY: (text, where, c) =>
    setField(c, 'trustProxy', FALSE.has(text.toLowerCase()) ? false : numberOrText(text), {
      field: where.field,
    }),
  CLAUDE_AUTH_CACHE_TTL_MS: (text, where, c) =>
    setField(c, 'cache.ttlMs', text.toLowerCase() === 'off' ? 0 : numberOrText(text), where),
  CLAUDE_AUTH_LOG_LEVEL: (text, where, c) => setField(c, 'logLevel', text, where),
  CLAUDE_AUTH_REDIS_TIMEOUT_MS: (text, where, c) =>
    setField(c, 'redis.commandTimeoutMs', numberOrText(text), where),
  CLAUDE_AUTH_PRICES: (text, where, c) =>
    setField(c, 'prices', parsePricesEnv(text, where), { field: where.field }),
};

/** Applies every set, non-empty configuration variable of `env` onto `config`, in list order. */
function applyEnv(config: Layered, env: Record<string, string | undefined>): void {
  for (const name of CONFIG_ENV_VARS) {
    if (name === 'CLAUDE_AUTH_CONFIG') continue;
    const text = env[name]?.trim();
    if (text === undefined || text === '') continue;
    ENV_READERS[name](text, { field: name, raw: text }, config);
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

/** Applies a file or `overrides` object through the schema, or throws if it is not an object. */
function applyObject(config: Layered, input: unknown, origin: string, extraKeys: string[]): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigurationError(`Configuration${origin} must be a JSON object`, {
      code: 'CLAUDE_AUTH_INVALID_CONFIG',
    });
  }
  applyOptions(config, input as Layered, 'config', { field: '', origin }, extraKeys);
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
  const config = defaultLayer();

  const fromEnv = env.CLAUDE_AUTH_CONFIG?.trim();
  const file = options.file ?? (fromEnv === '' ? undefined : fromEnv);
  if (file !== undefined) {
    const path = resolvePath(file);
    const from = options.file !== undefined ? 'file option' : 'CLAUDE_AUTH_CONFIG';
    applyObject(config, readConfigFile(path, from), ` in ${path}`, ['$schema']);
  }
  applyEnv(config, env);
  if (options.overrides !== undefined) applyObject(config, options.overrides, '', []);
  finishOptions(config);
  return deepFreeze(config as unknown as ClaudeAuthConfig);
}
