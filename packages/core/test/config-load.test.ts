import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  API_VERSIONS,
  ConfigurationError,
  DEFAULT_CONFIG,
  DEFAULT_PRICE_TABLE,
  loadConfig,
  resolveAuthenticatorOptions,
  toAuthenticatorOptions,
  type AuthenticatorOptions,
  type ClaudeAuthConfig,
} from '@claude-auth/core';

const dir = mkdtempSync(join(tmpdir(), 'claude-auth-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(contents: unknown): string {
  const path = join(dir, `config-${n++}.json`);
  writeFileSync(path, typeof contents === 'string' ? contents : JSON.stringify(contents));
  return path;
}

function errorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

const defaults: ClaudeAuthConfig = {
  environment: 'live',
  versionPolicy: 'warn',
  versions: {
    '2026-10-21': { status: 'current' },
    '2023-06-01': { status: 'supported' },
    '2023-01-01': { status: 'deprecated' },
  },
  credentials: ['x-api-key', 'bearer'],
  vocabulary: 'spec',
  storeUrl: 'sqlite:.claude-auth/claude-auth.db',
  redisUrl: null,
  upstreamBaseUrl: 'https://api.anthropic.com',
  port: 3000,
  host: '127.0.0.1',
  redisPrefix: 'claude-auth:',
  rateLimit: { key: { rpm: 1000 }, workspace: false, shadow: false, onLimiterError: 'fallback' },
  failedAuth: { maxPerMinute: 20 },
  trustProxy: false,
  cache: { ttlMs: 5000, negativeTtlMs: 1000, maxEntries: 10_000 },
  redis: { commandTimeoutMs: 1000 },
  logLevel: 'info',
  prices: DEFAULT_PRICE_TABLE,
};

describe('loadConfig defaults and freezing', () => {
  it('resolves every field with no input', () => {
    expect(loadConfig({ env: {} })).toStrictEqual(defaults);
    expect(DEFAULT_CONFIG).toStrictEqual(defaults);
  });

  it('returns a deeply frozen object and leaves the defaults untouched', () => {
    const config = loadConfig({ env: { CLAUDE_AUTH_RATE_LIMIT_BURST: '5' } });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.rateLimit)).toBe(true);
    expect(Object.isFrozen(config.rateLimit.key)).toBe(true);
    expect(Object.isFrozen(config.cache)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(DEFAULT_CONFIG.rateLimit.key).toStrictEqual({ rpm: 1000 });
  });
});

describe('loadConfig environment variables', () => {
  it.each<[string, Record<string, string>, (c: ClaudeAuthConfig) => unknown, unknown]>([
    ['CLAUDE_AUTH_ENVIRONMENT', { CLAUDE_AUTH_ENVIRONMENT: 'test' }, (c) => c.environment, 'test'],
    [
      'CLAUDE_AUTH_VERSION_POLICY',
      { CLAUDE_AUTH_VERSION_POLICY: 'reject' },
      (c) => c.versionPolicy,
      'reject',
    ],
    [
      'CLAUDE_AUTH_ERROR_VOCABULARY',
      { CLAUDE_AUTH_ERROR_VOCABULARY: 'claude' },
      (c) => c.vocabulary,
      'claude',
    ],
    [
      'CLAUDE_AUTH_STORE_URL sqlite',
      { CLAUDE_AUTH_STORE_URL: 'sqlite:/var/lib/keys.db' },
      (c) => c.storeUrl,
      'sqlite:/var/lib/keys.db',
    ],
    [
      'CLAUDE_AUTH_STORE_URL postgres',
      { CLAUDE_AUTH_STORE_URL: 'postgres://postgres@127.0.0.1:5432/test' },
      (c) => c.storeUrl,
      'postgres://postgres@127.0.0.1:5432/test',
    ],
    [
      'CLAUDE_AUTH_REDIS_URL',
      { CLAUDE_AUTH_REDIS_URL: 'redis://127.0.0.1:6379/0' },
      (c) => c.redisUrl,
      'redis://127.0.0.1:6379/0',
    ],
    [
      'ANTHROPIC_BASE_URL (trailing slash dropped)',
      { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080/' },
      (c) => c.upstreamBaseUrl,
      'http://127.0.0.1:8080',
    ],
    ['PORT', { PORT: '8080' }, (c) => c.port, 8080],
    [
      'CLAUDE_AUTH_RATE_LIMIT_RPM',
      { CLAUDE_AUTH_RATE_LIMIT_RPM: '60' },
      (c) => c.rateLimit.key,
      { rpm: 60 },
    ],
    [
      'CLAUDE_AUTH_RATE_LIMIT_RPM off',
      { CLAUDE_AUTH_RATE_LIMIT_RPM: 'off' },
      (c) => c.rateLimit.key,
      false,
    ],
    [
      'CLAUDE_AUTH_RATE_LIMIT_RPM 0',
      { CLAUDE_AUTH_RATE_LIMIT_RPM: '0' },
      (c) => c.rateLimit.key,
      false,
    ],
    [
      'RPM and BURST',
      { CLAUDE_AUTH_RATE_LIMIT_RPM: '60', CLAUDE_AUTH_RATE_LIMIT_BURST: '10' },
      (c) => c.rateLimit.key,
      { rpm: 60, burst: 10 },
    ],
    [
      'BURST alone applies to the default',
      { CLAUDE_AUTH_RATE_LIMIT_BURST: '50' },
      (c) => c.rateLimit.key,
      { rpm: 1000, burst: 50 },
    ],
    [
      'CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM',
      { CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM: '300' },
      (c) => c.rateLimit.workspace,
      { rpm: 300 },
    ],
    [
      'CLAUDE_AUTH_RATE_LIMIT_SHADOW true',
      { CLAUDE_AUTH_RATE_LIMIT_SHADOW: 'true' },
      (c) => c.rateLimit.shadow,
      true,
    ],
    [
      'CLAUDE_AUTH_RATE_LIMIT_SHADOW 1',
      { CLAUDE_AUTH_RATE_LIMIT_SHADOW: '1' },
      (c) => c.rateLimit.shadow,
      true,
    ],
    [
      'CLAUDE_AUTH_RATE_LIMIT_SHADOW off',
      { CLAUDE_AUTH_RATE_LIMIT_SHADOW: 'OFF' },
      (c) => c.rateLimit.shadow,
      false,
    ],
    [
      'CLAUDE_AUTH_ON_LIMITER_ERROR',
      { CLAUDE_AUTH_ON_LIMITER_ERROR: 'fail-closed' },
      (c) => c.rateLimit.onLimiterError,
      'fail-closed',
    ],
    [
      'CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE',
      { CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE: '5' },
      (c) => c.failedAuth,
      { maxPerMinute: 5 },
    ],
    [
      'CLAUDE_AUTH_CACHE_TTL_MS',
      { CLAUDE_AUTH_CACHE_TTL_MS: '10000' },
      (c) => (c.cache === false ? 0 : c.cache.ttlMs),
      10_000,
    ],
    ['CLAUDE_AUTH_LOG_LEVEL', { CLAUDE_AUTH_LOG_LEVEL: 'debug' }, (c) => c.logLevel, 'debug'],
    [
      'CLAUDE_AUTH_REDIS_TIMEOUT_MS',
      { CLAUDE_AUTH_REDIS_TIMEOUT_MS: '250' },
      (c) => c.redis.commandTimeoutMs,
      250,
    ],
    [
      'empty values count as unset',
      { PORT: '', CLAUDE_AUTH_VERSION_POLICY: ' ' },
      (c) => [c.port, c.versionPolicy],
      [3000, 'warn'],
    ],
    ['values are trimmed', { PORT: ' 81 ' }, (c) => c.port, 81],
  ])('%s', (_name, env, pick, expected) => {
    expect(pick(loadConfig({ env }))).toStrictEqual(expected);
  });

  it.each<[Record<string, string>, string, string]>([
    [
      { CLAUDE_AUTH_VERSION_POLICY: 'strict' },
      'CLAUDE_AUTH_VERSION_POLICY',
      'CLAUDE_AUTH_VERSION_POLICY must be one of allow, warn, reject (got "strict")',
    ],
    [
      { CLAUDE_AUTH_ERROR_VOCABULARY: 'openai' },
      'CLAUDE_AUTH_ERROR_VOCABULARY',
      'CLAUDE_AUTH_ERROR_VOCABULARY must be one of spec, claude (got "openai")',
    ],
    [
      { CLAUDE_AUTH_ENVIRONMENT: 'Prod' },
      'CLAUDE_AUTH_ENVIRONMENT',
      'CLAUDE_AUTH_ENVIRONMENT must be 1 to 16 lower-case letters or digits, e.g. live or test (got "Prod")',
    ],
    [{ PORT: '70000' }, 'PORT', 'PORT must be an integer from 0 to 65535 (got "70000")'],
    [{ PORT: '80.5' }, 'PORT', 'PORT must be an integer from 0 to 65535 (got "80.5")'],
    [{ PORT: '-1' }, 'PORT', 'PORT must be an integer from 0 to 65535 (got "-1")'],
    [
      { CLAUDE_AUTH_RATE_LIMIT_RPM: 'lots' },
      'CLAUDE_AUTH_RATE_LIMIT_RPM',
      'CLAUDE_AUTH_RATE_LIMIT_RPM must be a positive integer, or off (got "lots")',
    ],
    [
      { CLAUDE_AUTH_RATE_LIMIT_BURST: '0' },
      'CLAUDE_AUTH_RATE_LIMIT_BURST',
      'CLAUDE_AUTH_RATE_LIMIT_BURST must be a positive integer (got "0")',
    ],
    [
      { CLAUDE_AUTH_RATE_LIMIT_RPM: 'off', CLAUDE_AUTH_RATE_LIMIT_BURST: '5' },
      'CLAUDE_AUTH_RATE_LIMIT_BURST',
      'CLAUDE_AUTH_RATE_LIMIT_BURST must be unset while the key rate limit is off (set CLAUDE_AUTH_RATE_LIMIT_RPM)',
    ],
    [
      { CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM: '1e3' },
      'CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM',
      'CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM must be a positive integer, or off (got "1e3")',
    ],
    [
      { CLAUDE_AUTH_RATE_LIMIT_SHADOW: 'maybe' },
      'CLAUDE_AUTH_RATE_LIMIT_SHADOW',
      'CLAUDE_AUTH_RATE_LIMIT_SHADOW must be one of true, false, 1, 0, yes, no, on, off (got "maybe")',
    ],
    [
      { CLAUDE_AUTH_ON_LIMITER_ERROR: 'ignore' },
      'CLAUDE_AUTH_ON_LIMITER_ERROR',
      'CLAUDE_AUTH_ON_LIMITER_ERROR must be one of fallback, fail-closed (got "ignore")',
    ],
    [
      { CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE: 'x' },
      'CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE',
      'CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE must be an integer from 0 to 1000000 (got "x")',
    ],
    [
      { CLAUDE_AUTH_CACHE_TTL_MS: '60000' },
      'CLAUDE_AUTH_CACHE_TTL_MS',
      'CLAUDE_AUTH_CACHE_TTL_MS must be an integer from 0 to 10000 (got "60000")',
    ],
    [
      { CLAUDE_AUTH_LOG_LEVEL: 'verbose' },
      'CLAUDE_AUTH_LOG_LEVEL',
      'CLAUDE_AUTH_LOG_LEVEL must be one of debug, info, warn, error, silent (got "verbose")',
    ],
    [
      { CLAUDE_AUTH_CREDENTIALS: 'x-api-key,basic' },
      'CLAUDE_AUTH_CREDENTIALS',
      'CLAUDE_AUTH_CREDENTIALS must be a non-empty list of distinct values from x-api-key, bearer (got an array)',
    ],
    [
      { CLAUDE_AUTH_API_VERSIONS: '2027-01-01' },
      'CLAUDE_AUTH_API_VERSIONS',
      'CLAUDE_AUTH_API_VERSIONS must be comma-separated <version>=<status> entries, e.g. 2027-01-01=current,2023-01-01=deprecated;sunsetAt=2027-06-30 (got "2027-01-01")',
    ],
    [
      { CLAUDE_AUTH_API_VERSIONS: '2027-01-01=newest' },
      'CLAUDE_AUTH_API_VERSIONS.2027-01-01.status',
      'CLAUDE_AUTH_API_VERSIONS.2027-01-01.status must be one of current, supported, deprecated, retired (got "newest")',
    ],
    [
      { CLAUDE_AUTH_API_VERSIONS: '2027-02-30=current' },
      'CLAUDE_AUTH_API_VERSIONS.2027-02-30',
      'CLAUDE_AUTH_API_VERSIONS.2027-02-30 must be named by a date YYYY-MM-DD (got "2027-02-30")',
    ],
    [
      { CLAUDE_AUTH_REDIS_TIMEOUT_MS: '0' },
      'CLAUDE_AUTH_REDIS_TIMEOUT_MS',
      'CLAUDE_AUTH_REDIS_TIMEOUT_MS must be an integer from 1 to 60000 (got "0")',
    ],
    [
      { CLAUDE_AUTH_STORE_URL: 'mysql://root:hunter2@db/keys' },
      'CLAUDE_AUTH_STORE_URL',
      'CLAUDE_AUTH_STORE_URL must be sqlite:<path> or a postgres:// / postgresql:// URL',
    ],
    [
      { CLAUDE_AUTH_REDIS_URL: 'http://:hunter2@cache' },
      'CLAUDE_AUTH_REDIS_URL',
      'CLAUDE_AUTH_REDIS_URL must be a redis:// or rediss:// URL, or false for none',
    ],
    [
      { ANTHROPIC_BASE_URL: 'ftp://example.com' },
      'ANTHROPIC_BASE_URL',
      'ANTHROPIC_BASE_URL must be an http:// or https:// URL without credentials, query or fragment',
    ],
    [
      { ANTHROPIC_BASE_URL: 'https://u:hunter2@example.com' },
      'ANTHROPIC_BASE_URL',
      'ANTHROPIC_BASE_URL must be an http:// or https:// URL without credentials, query or fragment',
    ],
  ])('rejects %j', (env, field, message) => {
    const error = errorOf(() => loadConfig({ env }));
    expect(error.field).toBe(field);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('hunter2');
  });
});

describe('loadConfig file', () => {
  const full = {
    $schema: './claude-auth.schema.json',
    environment: 'staging',
    versionPolicy: 'allow',
    versions: {
      '2027-01-01': { status: 'current' },
      '2026-10-21': { status: 'supported' },
      '2023-06-01': { status: 'deprecated', deprecatedAt: '2026-11-01', sunsetAt: '2030-01-01' },
      '2023-01-01': { status: 'retired' },
    },
    credentials: ['x-api-key'],
    vocabulary: 'claude',
    storeUrl: 'postgresql://postgres@127.0.0.1/test',
    redisUrl: 'rediss://cache:6380',
    upstreamBaseUrl: 'https://proxy.internal/anthropic',
    port: 4000,
    host: '0.0.0.0',
    redisPrefix: 'staging:auth:',
    rateLimit: {
      key: { rpm: 120, burst: 30 },
      workspace: { rpm: 600 },
      shadow: true,
      onLimiterError: 'fail-closed',
    },
    failedAuth: { maxPerMinute: 0 },
    trustProxy: ['loopback', '10.0.0.0/8'],
    cache: { ttlMs: 0, negativeTtlMs: 0, maxEntries: 50 },
    redis: { commandTimeoutMs: 200 },
    logLevel: 'warn',
  };

  it('reads every field from CLAUDE_AUTH_CONFIG', () => {
    const config = loadConfig({ env: { CLAUDE_AUTH_CONFIG: file(full) } });
    const { $schema: _schema, ...expected } = full;
    // `failedAuth.maxPerMinute: 0` and `cache.ttlMs: 0` resolve to `false` (off).
    expect(config).toStrictEqual({
      ...expected,
      failedAuth: false,
      cache: false,
      prices: DEFAULT_PRICE_TABLE,
    });
  });

  it('environment variables override the file; overrides override both', () => {
    const path = file({ port: 4000, versionPolicy: 'allow', rateLimit: { key: { rpm: 10 } } });
    const config = loadConfig({
      env: { CLAUDE_AUTH_CONFIG: path, PORT: '5000', CLAUDE_AUTH_RATE_LIMIT_BURST: '3' },
      overrides: { versionPolicy: 'reject' },
    });
    expect([config.port, config.versionPolicy, config.rateLimit.key]).toStrictEqual([
      5000,
      'reject',
      { rpm: 10, burst: 3 },
    ]);
  });

  it('the file option wins over CLAUDE_AUTH_CONFIG', () => {
    const config = loadConfig({
      env: { CLAUDE_AUTH_CONFIG: join(dir, 'missing.json') },
      file: file({ port: 1 }),
    });
    expect(config.port).toBe(1);
  });

  it('a partial file keeps the other defaults of a section', () => {
    const config = loadConfig({ env: {}, file: file({ cache: { ttlMs: 100 } }) });
    expect(config.cache).toStrictEqual({ ttlMs: 100, negativeTtlMs: 1000, maxEntries: 10_000 });
  });

  it.each<[string, unknown, string, string | undefined]>([
    [
      'unknown top-level key',
      { prot: 1 },
      'Unknown configuration key prot in FILE: expected one of environment, versionPolicy, versions, credentials, vocabulary, storeUrl, redisUrl, upstreamBaseUrl, port, host, redisPrefix, rateLimit, failedAuth, trustProxy, cache, redis, logLevel, prices, $schema',
      'prot',
    ],
    [
      'unknown nested key',
      { rateLimit: { key: { rpm: 1, rpms: 2 } } },
      'Unknown configuration key rateLimit.key.rpms in FILE: expected one of rpm, burst',
      'rateLimit.key.rpms',
    ],
    [
      'unknown section key',
      { cache: { ttl: 1 } },
      'Unknown configuration key cache.ttl in FILE: expected one of ttlMs, negativeTtlMs, maxEntries',
      'cache.ttl',
    ],
    [
      'wrong type',
      { port: '3000' },
      'port in FILE must be an integer from 0 to 65535 (got "3000")',
      'port',
    ],
    [
      'bad version status',
      { versions: { '2023-01-01': { status: 'gone' } } },
      'versions.2023-01-01.status in FILE must be one of current, supported, deprecated, retired (got "gone")',
      'versions.2023-01-01.status',
    ],
    [
      'bad sunset date',
      { versions: { '2023-01-01': { sunsetAt: 'soon' } } },
      'versions.2023-01-01.sunsetAt in FILE must be a date YYYY-MM-DD (got "soon")',
      'versions.2023-01-01.sunsetAt',
    ],
    [
      'empty credentials',
      { credentials: [] },
      'credentials in FILE must be a non-empty list of distinct values from x-api-key, bearer (got an array)',
      'credentials',
    ],
    [
      'bad enum',
      { versionPolicy: 'strict' },
      'versionPolicy in FILE must be one of allow, warn, reject (got "strict")',
      'versionPolicy',
    ],
    [
      'cache TTL above the maximum',
      { cache: { ttlMs: 10_001 } },
      'cache.ttlMs in FILE must be an integer from 0 to 10000 (got 10001)',
      'cache.ttlMs',
    ],
    [
      'rpm not positive',
      { rateLimit: { workspace: { rpm: 0 } } },
      'rateLimit.workspace.rpm in FILE must be a positive integer (got 0)',
      'rateLimit.workspace.rpm',
    ],
    [
      'policy not an object',
      { rateLimit: { key: 100 } },
      'rateLimit.key in FILE must be false or an object { "rpm": <integer>, "burst"?: <integer> } (got 100)',
      'rateLimit.key',
    ],
    [
      'section not an object',
      { cache: [] },
      'cache in FILE must be an object, or false to switch it off (got an array)',
      'cache',
    ],
    [
      'shadow not a boolean',
      { rateLimit: { shadow: 'yes' } },
      'rateLimit.shadow in FILE must be true or false (got "yes")',
      'rateLimit.shadow',
    ],
    ['top level is an array', [], 'Configuration in FILE must be a JSON object', undefined],
    ['top level is null', null, 'Configuration in FILE must be a JSON object', undefined],
  ])('rejects a file with %s, naming the field and the file', (_name, contents, message, field) => {
    const path = file(contents);
    const error = errorOf(() => loadConfig({ env: { CLAUDE_AUTH_CONFIG: path } }));
    expect(error.message).toBe(message.replace('FILE', path));
    expect(error.field).toBe(field);
  });

  it('names the file when it cannot be read', () => {
    const path = join(dir, 'absent.json');
    const error = errorOf(() => loadConfig({ env: { CLAUDE_AUTH_CONFIG: path } }));
    expect(error.message).toBe(`Cannot read config file ${path} (from CLAUDE_AUTH_CONFIG): ENOENT`);
    expect(error.code).toBe('CLAUDE_AUTH_CONFIG_FILE_UNREADABLE');
  });

  it.each([['{"port": 1,'], ['not json'], ['']])(
    'names the file when its JSON is invalid: %j',
    (text) => {
      const path = file(text);
      const error = errorOf(() => loadConfig({ env: {}, file: path }));
      expect(error.message.startsWith(`Config file ${path} is not valid JSON`)).toBe(true);
      expect(error.code).toBe('CLAUDE_AUTH_CONFIG_FILE_INVALID');
      expect(error.field).toBe('file option');
    },
  );

  it('accepts a UTF-8 byte order mark', () => {
    expect(loadConfig({ env: {}, file: file('\uFEFF{"port": 7}') }).port).toBe(7);
  });

  it('validates overrides like the file', () => {
    const error = errorOf(() => loadConfig({ env: {}, overrides: { port: -5 } }));
    expect(error.message).toBe('port must be an integer from 0 to 65535 (got -5)');
  });
});

describe('loadConfig versions and credentials from the environment', () => {
  it('adds versions and changes statuses, over the file', () => {
    const config = loadConfig({
      env: {
        CLAUDE_AUTH_CONFIG: file({ versions: { '2027-01-01': { status: 'supported' } } }),
        CLAUDE_AUTH_API_VERSIONS:
          '2027-01-01=current, 2026-10-21=supported,2023-01-01=deprecated;deprecatedAt=2026-01-01;sunsetAt=2027-06-30',
        CLAUDE_AUTH_CREDENTIALS: ' X-API-KEY ',
      },
    });
    expect(config.versions).toStrictEqual({
      '2026-10-21': { status: 'supported' },
      '2023-06-01': { status: 'supported' },
      '2023-01-01': { status: 'deprecated', deprecatedAt: '2026-01-01', sunsetAt: '2027-06-30' },
      '2027-01-01': { status: 'current' },
    });
    expect(config.credentials).toStrictEqual(['x-api-key']);
    expect(Object.isFrozen(config.versions['2027-01-01'])).toBe(true);
    expect(API_VERSIONS['2026-10-21']).toStrictEqual({ status: 'current' });
  });

  it('gives the same mistake the same field from the options', () => {
    expect(() => resolveAuthenticatorOptions({ credentials: [] })).toThrow(
      'credentials must be a non-empty list of distinct values from x-api-key, bearer (got an array)',
    );
    expect(() =>
      resolveAuthenticatorOptions({ versions: { '2023-01-01': { status: 'gone' as never } } }),
    ).toThrow(
      'versions.2023-01-01.status must be one of current, supported, deprecated, retired (got "gone")',
    );
  });
});

describe('toAuthenticatorOptions', () => {
  it('maps the defaults', () => {
    expect(toAuthenticatorOptions(loadConfig({ env: {} }))).toStrictEqual({
      environment: 'live',
      vocabulary: 'spec',
      versionPolicy: 'warn',
      versions: API_VERSIONS,
      credentials: ['x-api-key', 'bearer'],
      rateLimit: {
        key: { rpm: 1000 },
        workspace: false,
        shadow: false,
        onLimiterError: 'fallback',
      },
      failedAuth: { maxPerMinute: 20 },
      trustProxy: false,
      cache: { ttlMs: 5000, negativeTtlMs: 1000, maxEntries: 10_000 },
    });
  });

  it('maps switched-off features to false and returns unfrozen copies', () => {
    const config = loadConfig({
      env: {
        CLAUDE_AUTH_RATE_LIMIT_RPM: 'off',
        CLAUDE_AUTH_WORKSPACE_RATE_LIMIT_RPM: '30',
        CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE: '0',
        CLAUDE_AUTH_CACHE_TTL_MS: '0',
        CLAUDE_AUTH_ERROR_VOCABULARY: 'claude',
      },
    });
    const options = toAuthenticatorOptions(config);
    expect(options).toStrictEqual({
      environment: 'live',
      vocabulary: 'claude',
      versionPolicy: 'warn',
      versions: API_VERSIONS,
      credentials: ['x-api-key', 'bearer'],
      rateLimit: { key: false, workspace: { rpm: 30 }, shadow: false, onLimiterError: 'fallback' },
      failedAuth: false,
      trustProxy: false,
      cache: false,
    });
    expect(Object.isFrozen(options.rateLimit.workspace)).toBe(false);
    expect(options.rateLimit.workspace).not.toBe(config.rateLimit.workspace);
  });

  it('is accepted as AuthenticatorOptions by the pipeline, which resolves the same values', () => {
    const config = loadConfig({
      env: { CLAUDE_AUTH_RATE_LIMIT_RPM: '60', CLAUDE_AUTH_CACHE_TTL_MS: '0' },
    });
    const options: AuthenticatorOptions = toAuthenticatorOptions(config);
    const resolved = resolveAuthenticatorOptions(options);
    expect(resolved.rateLimit.key).toStrictEqual({ rpm: 60 });
    expect(resolved.failedAuth).toStrictEqual({ maxPerMinute: 20 });
    expect(resolved.vocabulary).toBe('spec');
  });
});

describe('trustProxy: one setting, the same answer from every layer (issue 13, defect 2)', () => {
  it.each([
    [{ CLAUDE_AUTH_TRUST_PROXY: 'off' }, false],
    [{ CLAUDE_AUTH_TRUST_PROXY: '0' }, false],
    [{ CLAUDE_AUTH_TRUST_PROXY: '2' }, 2],
    [{ CLAUDE_AUTH_TRUST_PROXY: 'loopback, 10.0.0.0/8' }, ['loopback', '10.0.0.0/8']],
    [{ CLAUDE_AUTH_TRUST_PROXY: '::1' }, ['::1']],
  ] as const)('reads %j', (env, expected) => {
    const config = loadConfig({ env });
    expect(config.trustProxy).toStrictEqual(expected);
    expect(toAuthenticatorOptions(config).trustProxy).toStrictEqual(expected);
  });

  it.each([['10.0.0.0/33'], ['proxy.internal'], [-1], [65], [true], [[]]])(
    'refuses %j from the file, the variable and createAuthenticator alike',
    (value) => {
      const messages: string[] = [];
      const capture = (fn: () => unknown): void => {
        try {
          fn();
          messages.push('accepted');
        } catch (error) {
          messages.push(
            (error as Error).message
              .replace(/^.* must be /, '')
              .replace(/^Invalid option trustProxy: expected /, ''),
          );
        }
      };
      capture(() => loadConfig({ env: {}, overrides: { trustProxy: value as never } }));
      capture(() => resolveAuthenticatorOptions({ trustProxy: value as never }));
      if (typeof value === 'string')
        capture(() => loadConfig({ env: { CLAUDE_AUTH_TRUST_PROXY: value } }));
      expect(messages.every((m) => m.startsWith('false, a number of proxy hops'))).toBe(true);
    },
  );
});
