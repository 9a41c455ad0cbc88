import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONFIG_ENV_VARS,
  ConfigurationError,
  createAuthenticator,
  loadConfig,
} from '@claude-auth/core';
import { OPTION_SCHEMA } from '../src/config/options-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'claude-auth-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Caught {
  message: string;
  code: string;
  field: string | undefined;
}

function caught(fn: () => unknown): Caught {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    const { message, code, field } = error as ConfigurationError;
    return { message, code, field };
  }
  throw new Error('expected a ConfigurationError');
}

let n = 0;
function file(contents: unknown): string {
  const path = join(dir, `parity-${n++}.json`);
  writeFileSync(path, JSON.stringify(contents));
  return path;
}

// The same mistakes, in the shape both doors accept.
const MISTAKES: [string, Record<string, unknown>, string][] = [
  [
    'unknown rate-limit key',
    { rateLimit: { requestsPerMinute: -1 } },
    'Unknown configuration key rateLimit.requestsPerMinute: expected one of key, workspace, shadow, onLimiterError',
  ],
  [
    'negative rpm',
    { rateLimit: { key: { rpm: -1 } } },
    'rateLimit.key.rpm must be a positive integer (got -1)',
  ],
  [
    'fractional burst',
    { rateLimit: { workspace: { rpm: 5, burst: 1.5 } } },
    'rateLimit.workspace.burst must be a positive integer (got 1.5)',
  ],
  [
    'null policy',
    { rateLimit: { key: null } },
    'rateLimit.key must not be null: use false to switch it off',
  ],
  [
    'policy not an object',
    { rateLimit: { key: 100 } },
    'rateLimit.key must be false or an object { "rpm": <integer>, "burst"?: <integer> } (got 100)',
  ],
  [
    'shadow not a boolean',
    { rateLimit: { shadow: 'yes' } },
    'rateLimit.shadow must be true or false (got "yes")',
  ],
  [
    'limiter mode',
    { rateLimit: { onLimiterError: 'ignore' } },
    'rateLimit.onLimiterError must be one of fallback, fail-closed (got "ignore")',
  ],
  [
    'rate limit null',
    { rateLimit: null },
    'rateLimit must not be null: leave it out for the default',
  ],
  [
    'cache TTL not a number',
    { cache: { ttlMs: 'x' } },
    'cache.ttlMs must be an integer from 0 to 10000 (got "x")',
  ],
  [
    'cache TTL above 10 s',
    { cache: { ttlMs: 10_001 } },
    'cache.ttlMs must be an integer from 0 to 10000 (got 10001)',
  ],
  [
    'negative negative TTL',
    { cache: { negativeTtlMs: -1 } },
    'cache.negativeTtlMs must be an integer from 0 to 10000 (got -1)',
  ],
  [
    'zero cache size',
    { cache: { maxEntries: 0 } },
    'cache.maxEntries must be an integer from 1 to 10000000 (got 0)',
  ],
  ['cache null', { cache: null }, 'cache must not be null: use false to switch it off'],
  [
    'cache an array',
    { cache: [] },
    'cache must be an object, or false to switch it off (got an array)',
  ],
  [
    'failedAuth null',
    { failedAuth: null },
    'failedAuth must not be null: use false to switch it off',
  ],
  [
    'failedAuth negative',
    { failedAuth: { maxPerMinute: -3 } },
    'failedAuth.maxPerMinute must be an integer from 0 to 1000000 (got -3)',
  ],
  [
    'environment',
    { environment: 'Live!' },
    'environment must be 1 to 16 lower-case letters or digits, e.g. live or test (got "Live!")',
  ],
  [
    'environment null',
    { environment: null },
    'environment must not be null: leave it out for the default',
  ],
  [
    'vocabulary',
    { vocabulary: 'anthropic' },
    'vocabulary must be one of spec, claude (got "anthropic")',
  ],
  [
    'version policy',
    { versionPolicy: 'never' },
    'versionPolicy must be one of allow, warn, reject (got "never")',
  ],
  [
    'credentials empty',
    { credentials: [] },
    'credentials must be a non-empty list of distinct values from x-api-key, bearer (got an array)',
  ],
  [
    'version status',
    { versions: { '2023-01-01': { status: 'gone' } } },
    'versions.2023-01-01.status must be one of current, supported, deprecated, retired (got "gone")',
  ],
  [
    'trust proxy range',
    { trustProxy: '10.0.0.0/33' },
    'trustProxy must be false, a number of proxy hops',
  ],
  [
    'trust proxy null',
    { trustProxy: null },
    'trustProxy must not be null: use false to switch it off',
  ],
];

describe('one options schema: the same mistake, the same message from either door', () => {
  it.each(MISTAKES)('%s', (_name, input, expected) => {
    const options = caught(() => createAuthenticator(input));
    const overrides = caught(() => loadConfig({ env: {}, overrides: input }));
    const path = file(input);
    const fromFile = caught(() => loadConfig({ env: {}, file: path }));

    expect(options.message.startsWith(expected), options.message).toBe(true);
    expect(overrides.message).toBe(options.message);
    // A file adds where to look, after the field; the rest of the message is the same.
    expect(fromFile.message.replace(` in ${path}`, '')).toBe(options.message);
    expect(new Set([options.field, overrides.field, fromFile.field]).size).toBe(1);
    // The code says which door; UNKNOWN_CONFIG_KEY is the same from both.
    if (options.code === 'CLAUDE_AUTH_UNKNOWN_CONFIG_KEY') {
      expect(overrides.code).toBe('CLAUDE_AUTH_UNKNOWN_CONFIG_KEY');
    } else {
      expect([options.code, overrides.code, fromFile.code]).toStrictEqual([
        'CLAUDE_AUTH_INVALID_OPTION',
        'CLAUDE_AUTH_INVALID_CONFIG',
        'CLAUDE_AUTH_INVALID_CONFIG',
      ]);
    }
  });

  it.each([
    ['CLAUDE_AUTH_CACHE_TTL_MS', 'x', { cache: { ttlMs: 'x' } }, 'cache.ttlMs'],
    [
      'CLAUDE_AUTH_FAILED_AUTH_PER_MINUTE',
      'x',
      { failedAuth: { maxPerMinute: 'x' } },
      'failedAuth.maxPerMinute',
    ],
    ['CLAUDE_AUTH_VERSION_POLICY', 'never', { versionPolicy: 'never' }, 'versionPolicy'],
    ['CLAUDE_AUTH_ERROR_VOCABULARY', 'anthropic', { vocabulary: 'anthropic' }, 'vocabulary'],
    ['CLAUDE_AUTH_ENVIRONMENT', 'Live!', { environment: 'Live!' }, 'environment'],
    [
      'CLAUDE_AUTH_ON_LIMITER_ERROR',
      'ignore',
      { rateLimit: { onLimiterError: 'ignore' } },
      'rateLimit.onLimiterError',
    ],
    ['CLAUDE_AUTH_TRUST_PROXY', '10.0.0.0/33', { trustProxy: '10.0.0.0/33' }, 'trustProxy'],
    // (A variable's value is echoed as the text written, quoted: `(got "10001")`.)
  ])('%s=%s says what the option says, under the variable name', (name, text, input, path) => {
    const options = caught(() => createAuthenticator(input as never));
    const env = caught(() => loadConfig({ env: { [name]: text } }));
    expect(env.field).toBe(name);
    expect(env.message.replace(name, path)).toBe(options.message);
  });

  it('false switches a feature off from either door', () => {
    const input = {
      rateLimit: { key: false, workspace: false },
      failedAuth: false,
      cache: false,
    } as const;
    const config = loadConfig({ env: {}, overrides: input });
    expect([
      config.rateLimit.key,
      config.rateLimit.workspace,
      config.failedAuth,
      config.cache,
    ]).toStrictEqual([false, false, false, false]);
    expect(() => createAuthenticator(input)).not.toThrow();
  });

  it.each(['store', 'keys', 'rateLimiter', 'spend', 'invalidation', 'logger', 'requestId', 'now'])(
    'createAuthenticator refuses %s: null (live objects come in by that door only)',
    (name) => {
      const error = caught(() => createAuthenticator({ [name]: null }));
      expect(error).toStrictEqual({
        message: `${name} must not be null: leave it out for the default`,
        code: 'CLAUDE_AUTH_INVALID_OPTION',
        field: name,
      });
      expect(caught(() => loadConfig({ env: {}, overrides: { [name]: null } })).code).toBe(
        'CLAUDE_AUTH_UNKNOWN_CONFIG_KEY',
      );
    },
  );

  it('names every environment variable in the schema once, and every one is read', () => {
    const fromSchema: string[] = [];
    for (const def of Object.values(OPTION_SCHEMA)) {
      const fields = def.kind === 'section' ? Object.values(def.fields) : [def];
      for (const field of fields) fromSchema.push(...(field.env ?? []));
    }
    expect(new Set(fromSchema).size).toBe(fromSchema.length);
    expect([...fromSchema].sort()).toStrictEqual(
      CONFIG_ENV_VARS.filter((name) => name !== 'CLAUDE_AUTH_CONFIG').sort(),
    );
  });

  it('every option links to an anchor that exists in docs/configuration.md', () => {
    const readme = readFileSync(
      join(import.meta.dirname, '../../../docs/configuration.md'),
      'utf8',
    );
    for (const [name, def] of Object.entries(OPTION_SCHEMA)) {
      expect(def.docs, name).toMatch(/\/docs\/configuration\.md#option-[a-z-]+$/);
      expect(readme, name).toContain(`<a id="${def.docs.split('#')[1]}"></a>`);
      if (def.kind === 'section')
        for (const field of Object.values(def.fields))
          expect(readme).toContain(`<a id="${field.docs.split('#')[1]}"></a>`);
    }
  });
});
