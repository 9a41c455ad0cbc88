import { mkdtempSync } from 'node:fs';
import { rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  MissingApiKeyError,
  resolveApiKey,
  type ApiKeySource,
  type ResolveApiKeyOptions,
} from '@claude-auth/core';

const dir = mkdtempSync(join(tmpdir(), 'claude-auth-key-'));
const keyFile = join(dir, 'key');
const emptyFile = join(dir, 'empty');

beforeAll(async () => {
  await writeFile(keyFile, 'file-key\n');
  await writeFile(emptyFile, '  \n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function logger() {
  return { warn: vi.fn<(message: string, meta?: Record<string, unknown>) => void>() };
}

type Case = [string, () => ResolveApiKeyOptions, string, ApiKeySource];

describe('resolveApiKey order', () => {
  const cases: Case[] = [
    [
      'option string wins over everything',
      () => ({ apiKey: 'opt', env: { ANTHROPIC_API_KEY: 'env', ANTHROPIC_API_KEY_FILE: keyFile } }),
      'opt',
      'option',
    ],
    [
      'sync function option',
      () => ({ apiKey: () => 'fn', env: { ANTHROPIC_API_KEY: 'env' } }),
      'fn',
      'option',
    ],
    [
      'async function option',
      () => ({ apiKey: async () => 'afn', env: { ANTHROPIC_API_KEY: 'env' } }),
      'afn',
      'option',
    ],
    [
      'empty option falls through to env',
      () => ({ apiKey: '', env: { ANTHROPIC_API_KEY: 'env' } }),
      'env',
      'ANTHROPIC_API_KEY',
    ],
    [
      'function returning empty falls through',
      () => ({ apiKey: () => '', env: { ANTHROPIC_API_KEY: 'env' } }),
      'env',
      'ANTHROPIC_API_KEY',
    ],
    [
      'whitespace-only option falls through',
      () => ({ apiKey: '  ', env: { ANTHROPIC_API_KEY: 'env' } }),
      'env',
      'ANTHROPIC_API_KEY',
    ],
    [
      'env wins over file',
      () => ({ env: { ANTHROPIC_API_KEY: 'env', ANTHROPIC_API_KEY_FILE: keyFile } }),
      'env',
      'ANTHROPIC_API_KEY',
    ],
    [
      'empty env falls through to file',
      () => ({ env: { ANTHROPIC_API_KEY: '', ANTHROPIC_API_KEY_FILE: keyFile } }),
      'file-key',
      'ANTHROPIC_API_KEY_FILE',
    ],
    [
      'unset env, file (trimmed)',
      () => ({ env: { ANTHROPIC_API_KEY_FILE: keyFile } }),
      'file-key',
      'ANTHROPIC_API_KEY_FILE',
    ],
    [
      'file path with surrounding spaces',
      () => ({ env: { ANTHROPIC_API_KEY_FILE: ` ${keyFile} ` } }),
      'file-key',
      'ANTHROPIC_API_KEY_FILE',
    ],
    [
      'option, then file when env empty',
      () => ({
        apiKey: undefined,
        env: { ANTHROPIC_API_KEY: '', ANTHROPIC_API_KEY_FILE: keyFile },
      }),
      'file-key',
      'ANTHROPIC_API_KEY_FILE',
    ],
    [
      'env with whitespace is stripped',
      () => ({ env: { ANTHROPIC_API_KEY: ' env \n' } }),
      'env',
      'ANTHROPIC_API_KEY',
    ],
  ];

  it.each(cases)('%s', async (_name, options, apiKey, source) => {
    await expect(resolveApiKey(options())).resolves.toStrictEqual({ apiKey, source });
  });

  it.each<[string, () => ResolveApiKeyOptions, string[]]>([
    [
      'nothing anywhere',
      () => ({ env: {} }),
      [
        'the apiKey option (not given)',
        'ANTHROPIC_API_KEY (not set)',
        'ANTHROPIC_API_KEY_FILE (not set)',
      ],
    ],
    [
      'everything empty',
      () => ({ apiKey: '', env: { ANTHROPIC_API_KEY: '', ANTHROPIC_API_KEY_FILE: '' } }),
      ['the apiKey option (empty)', 'ANTHROPIC_API_KEY (empty)', 'ANTHROPIC_API_KEY_FILE (empty)'],
    ],
    [
      'file missing',
      () => ({ env: { ANTHROPIC_API_KEY_FILE: join(dir, 'nope') } }),
      [
        'the apiKey option (not given)',
        'ANTHROPIC_API_KEY (not set)',
        `ANTHROPIC_API_KEY_FILE (${join(dir, 'nope')}: file not found)`,
      ],
    ],
    [
      'file empty',
      () => ({ env: { ANTHROPIC_API_KEY_FILE: emptyFile } }),
      [
        'the apiKey option (not given)',
        'ANTHROPIC_API_KEY (not set)',
        `ANTHROPIC_API_KEY_FILE (${emptyFile}: empty file)`,
      ],
    ],
    [
      'file is a directory',
      () => ({ env: { ANTHROPIC_API_KEY_FILE: dir } }),
      [
        'the apiKey option (not given)',
        'ANTHROPIC_API_KEY (not set)',
        `ANTHROPIC_API_KEY_FILE (${dir}: is a directory)`,
      ],
    ],
  ])(
    'throws MissingApiKeyError listing every place looked: %s',
    async (_name, options, searched) => {
      const error = await resolveApiKey(options()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MissingApiKeyError);
      expect((error as MissingApiKeyError).searched).toStrictEqual(searched);
      expect((error as MissingApiKeyError).message).toBe(
        `No API key found. Looked in: ${searched.join(', ')}.`,
      );
    },
  );

  it('reads process.env by default', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'from-process');
    try {
      await expect(resolveApiKey()).resolves.toStrictEqual({
        apiKey: 'from-process',
        source: 'ANTHROPIC_API_KEY',
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('rejects a function returning a non-string', async () => {
    const error = await resolveApiKey({
      apiKey: (() => 42) as unknown as () => string,
      env: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).field).toBe('apiKey');
  });

  it('propagates an error thrown by the key function', async () => {
    await expect(
      resolveApiKey({ apiKey: () => Promise.reject(new Error('vault down')), env: {} }),
    ).rejects.toThrow('vault down');
  });
});

describe('resolveApiKey warnings', () => {
  it.each<[string, ResolveApiKeyOptions, string, string[]]>([
    [
      'whitespace around option',
      { apiKey: ' k ' },
      'k',
      ['API key has surrounding whitespace; it was stripped'],
    ],
    [
      'newline after env value',
      { env: { ANTHROPIC_API_KEY: 'k\n' } },
      'k',
      ['API key has surrounding whitespace; it was stripped'],
    ],
    [
      'double quotes',
      { apiKey: '"k"' },
      '"k"',
      ['API key is wrapped in quotes; remove them where the key is set'],
    ],
    [
      'single quotes in env',
      { env: { ANTHROPIC_API_KEY: "'k'" } },
      "'k'",
      ['API key is wrapped in quotes; remove them where the key is set'],
    ],
    [
      'quotes and whitespace',
      { apiKey: ' "k" ' },
      '"k"',
      [
        'API key has surrounding whitespace; it was stripped',
        'API key is wrapped in quotes; remove them where the key is set',
      ],
    ],
    ['clean key', { apiKey: 'k' }, 'k', []],
    ['mismatched quote is not a wrapper', { apiKey: '"k' }, '"k', []],
  ])('%s', async (_name, options, apiKey, warnings) => {
    const log = logger();
    const result = await resolveApiKey({ env: {}, ...options, logger: log });
    expect(result.apiKey).toBe(apiKey);
    expect(log.warn.mock.calls.map(([message]) => message)).toStrictEqual(warnings);
    for (const [message, meta] of log.warn.mock.calls) {
      expect(`${message} ${JSON.stringify(meta)}`).not.toMatch(/"k"|'k'|\bk\b(?!ey)/);
    }
  });

  it('does not warn about the trailing newline of a secret file', async () => {
    const log = logger();
    await resolveApiKey({ env: { ANTHROPIC_API_KEY_FILE: keyFile }, logger: log });
    expect(log.warn).not.toHaveBeenCalled();
  });
});

describe('ANTHROPIC_API_KEY_FILE re-reading', () => {
  it('reads once while unchanged and again after the file changes (real files)', async () => {
    const path = join(dir, 'rotating');
    await writeFile(path, 'first');
    const t = new Date('2025-01-01T00:00:00Z');
    await utimes(path, t, t);
    const env = { ANTHROPIC_API_KEY_FILE: path };
    expect((await resolveApiKey({ env })).apiKey).toBe('first');

    await writeFile(path, 'secnd'); // same size
    const later = new Date('2025-01-01T00:00:05Z');
    await utimes(path, later, later);
    expect((await resolveApiKey({ env })).apiKey).toBe('secnd');
  });

  it('serves the cached value while mtime and size are unchanged, re-reads when mtime moves', async () => {
    let mtimeMs = 1000;
    let contents = 'one';
    const readFile = vi.fn(async () => contents);
    const stat = vi.fn(async () => ({ mtimeMs, size: 3 }));
    const env = { ANTHROPIC_API_KEY_FILE: '/secrets/key' };

    expect((await resolveApiKey({ env, readFile, stat })).apiKey).toBe('one');
    contents = 'two';
    expect((await resolveApiKey({ env, readFile, stat })).apiKey).toBe('one');
    expect(readFile).toHaveBeenCalledTimes(1);

    mtimeMs = 2000;
    expect((await resolveApiKey({ env, readFile, stat })).apiKey).toBe('two');
    expect(readFile).toHaveBeenCalledTimes(2);
    expect(stat).toHaveBeenCalledTimes(3);
  });

  it('reads every time when only readFile is injected, and accepts bytes', async () => {
    const readFile = vi.fn(async () => new TextEncoder().encode('bytes-key\n'));
    const env = { ANTHROPIC_API_KEY_FILE: '/secrets/key' };
    await resolveApiKey({ env, readFile });
    await expect(resolveApiKey({ env, readFile })).resolves.toStrictEqual({
      apiKey: 'bytes-key',
      source: 'ANTHROPIC_API_KEY_FILE',
    });
    expect(readFile).toHaveBeenCalledTimes(2);
  });

  it('reports a permission error without the file contents', async () => {
    const readFile = async (): Promise<string> => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    const error = await resolveApiKey({
      env: { ANTHROPIC_API_KEY_FILE: '/secrets/key' },
      readFile,
    }).catch((e: unknown) => e);
    expect((error as MissingApiKeyError).searched.at(-1)).toBe(
      'ANTHROPIC_API_KEY_FILE (/secrets/key: permission denied)',
    );
  });
});
