import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, StoreUnavailableError } from '@claude-auth/core';
import { DEFAULT_STORE_URL, openStore, redactUrl } from '../src/open-store.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'claude-auth-open-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  it.each([
    ['the default URL, relative to cwd', DEFAULT_STORE_URL, '.claude-auth/claude-auth.db', false],
    ['a relative path', 'sqlite:data/keys.db', 'data/keys.db', true],
    ['a relative path with //', 'sqlite://other/keys.db', 'other/keys.db', true],
  ])('opens SQLite for %s, creating parent directories', async (_name, url, relative, create) => {
    const store = await openStore(url, { cwd: dir, createDirectories: create });
    try {
      expect(await store.listKeys()).toMatchObject({ data: [] });
      expect((await stat(path.join(dir, relative))).isFile()).toBe(true);
    } finally {
      await store.close?.();
    }
  });

  it('opens SQLite at an absolute path (sqlite:///abs)', async () => {
    const file = path.join(dir, 'abs', 'keys.db');
    const store = await openStore(`sqlite://${file}`, { cwd: '/', createDirectories: true });
    await store.close?.();
    expect((await stat(file)).isFile()).toBe(true);
  });

  it('opens PostgreSQL for postgres:// and postgresql://', async () => {
    for (const url of [
      'postgres://postgres@127.0.0.1:5432/test',
      'postgresql://postgres@127.0.0.1:5432/test',
    ]) {
      const store = await openStore(url);
      try {
        expect(Array.isArray((await store.listWorkspaces({ limit: 1 })).data)).toBe(true);
      } finally {
        await store.close?.();
      }
    }
  });

  it('refuses a SQLite path whose directory is missing, creating nothing, unless asked', async () => {
    const file = path.join(dir, 'typo', 'nested', 'keys.db');
    const error = await openStore(`sqlite:${file}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'CLAUDE_AUTH_STORE_DIRECTORY_MISSING' });
    expect((error as Error).message).toContain(path.join(dir, 'typo', 'nested'));
    expect((error as Error).message).toContain('--create-dirs');
    await expect(stat(path.join(dir, 'typo'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each(['sqlite:', 'sqlite://', ' sqlite: '])(
    'reports %j as a SQLite URL without a path, not as an unsupported scheme',
    async (url) => {
      const error = await openStore(url, { cwd: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/SQLite store URL has no path/);
      expect((error as Error).message).not.toContain('Unsupported');
    },
  );

  it.each(['mysql://db/x', 'redis://localhost', 'keys.db', '', 'memory:x', 'memory://'])(
    'rejects %j with a ConfigurationError naming CLAUDE_AUTH_STORE_URL and the accepted forms',
    async (url) => {
      const error = await openStore(url, { cwd: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain('CLAUDE_AUTH_STORE_URL');
      expect((error as Error).message).toContain('sqlite:<path>');
      expect((error as Error).message).toContain('postgres://');
    },
  );

  it('reports an unreachable PostgreSQL as StoreUnavailableError without the password', async () => {
    const error = await openStore('postgres://postgres:hunter2@127.0.0.1:1/test').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).not.toContain('hunter2');
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect((error as Error).message.match(/ECONNREFUSED/g)).toHaveLength(1);
  });

  it('reports a SQLite path that cannot be opened as StoreUnavailableError', async () => {
    await expect(openStore(`sqlite:${dir}`)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it.each([
    ['postgres://app:s3cret@db:5432/claude', 'postgres://app:***@db:5432/claude'],
    ['postgresql://app@db/claude', 'postgresql://app@db/claude'],
    ['sqlite:.claude-auth/claude-auth.db', 'sqlite:.claude-auth/claude-auth.db'],
  ])('redactUrl(%s)', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
