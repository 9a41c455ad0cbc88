import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/exit-codes.js';
import { run } from '../src/run.js';
import { createHarness, type CliHarness } from './cli-harness.js';

let h: CliHarness;
let keyId: string;
let workspaceId: string;
beforeAll(async () => {
  h = await createHarness();
  keyId = (await h.json<{ key: { id: string } }>('keys', 'create', '--name', 'k')).key.id;
  workspaceId = (await h.json<{ id: string }>('workspaces', 'create', '--name', 'w')).id;
});
afterAll(async () => {
  await h.cleanup();
});

const { ok, usage, notFound, invalidInput, storeUnavailable } = EXIT_CODES;

describe('exit codes', () => {
  it.each<[string, () => string[], number]>([
    ['list', () => ['keys', 'list'], ok],
    ['--help', () => ['--help'], ok],
    ['--version', () => ['--version'], ok],
    ['no command', () => [], usage],
    ['unknown command', () => ['keys', 'explode'], usage],
    ['unknown option', () => ['keys', 'list', '--colour'], usage],
    ['missing required option', () => ['keys', 'create'], usage],
    ['missing argument', () => ['keys', 'get'], usage],
    ['unknown key', () => ['keys', 'get', 'key_doesnotexist000000000000'], notFound],
    ['revoke unknown key', () => ['keys', 'revoke', 'key_doesnotexist000000000000'], notFound],
    ['unknown workspace', () => ['workspaces', 'usage', 'wrkspc_doesnotexist0000000000'], notFound],
    ['bad duration', () => ['keys', 'create', '--name', 'n', '--expires', 'soon'], invalidInput],
    ['bad kind', () => ['keys', 'create', '--name', 'n', '--kind', 'root'], invalidInput],
    ['blank name', () => ['keys', 'create', '--name', '  '], invalidInput],
    [
      'bad permission',
      () => ['keys', 'create', '--name', 'n', '--permissions', 'Bad Perm'],
      invalidInput,
    ],
    ['bad status', () => ['keys', 'list', '--status', 'gone'], invalidInput],
    ['bad limit', () => ['keys', 'list', '--limit', '0'], invalidInput],
    ['bad rpm', () => ['keys', 'set-rate-limit', keyId, '--rpm', '-3'], invalidInput],
    ['rpm missing', () => ['keys', 'set-rate-limit', keyId], invalidInput],
    ['bad grace', () => ['keys', 'regenerate', keyId, '--grace', '10 minutes'], invalidInput],
    [
      'bad usd',
      () => ['workspaces', 'set-limit', workspaceId, '--monthly-usd', 'lots'],
      invalidInput,
    ],
    ['unsupported store URL', () => ['--store', 'mysql://db/x', 'keys', 'list'], invalidInput],
    [
      'unreachable PostgreSQL',
      () => ['--store', 'postgres://postgres@127.0.0.1:1/test', 'keys', 'list'],
      storeUnavailable,
    ],
    [
      'SQLite directory missing (a typo)',
      () => ['--store', `sqlite:${h.dir}/no/such/dir/x.db`, 'keys', 'list'],
      invalidInput,
    ],
    ['sqlite: without a path', () => ['--store', 'sqlite:', 'keys', 'list'], invalidInput],
    [
      'SQLite directory missing, --create-dirs',
      () => ['--create-dirs', '--store', `sqlite:${h.dir}/made/by/cli/x.db`, 'keys', 'list'],
      ok,
    ],
    [
      'SQLite path is a directory',
      () => ['--store', `sqlite:${h.dir}`, 'keys', 'list'],
      storeUnavailable,
    ],
  ])('%s', async (_name, args, expected) => {
    const result = await h.cli(...args());
    expect(result.code).toBe(expected);
    if (expected !== ok) {
      const lines = result.stderr.trimEnd().split('\n');
      if (expected !== usage || args().length > 0) {
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^claude-auth: \S/);
      }
      expect(result.stdout).toBe('');
    }
  });

  it.each<[string[], string, number]>([
    [['keys', 'get', 'key_nope0000000000000000000000'], 'not_found', notFound],
    [['keys', 'list', '--limit', 'x'], 'invalid_input', invalidInput],
    [['keys', 'list', '--bogus'], 'usage', usage],
  ])('--json errors are one JSON object on stderr: %j', async (args, type, code) => {
    const result = await h.cli(...args, '--json');
    expect(result.code).toBe(code);
    const parsed = JSON.parse(result.stderr) as { error: { type: string; message: string } };
    expect(parsed.error.type).toBe(type);
    expect(parsed.error.message.length).toBeGreaterThan(0);
  });

  it('names the PostgreSQL host and port once, and the cause code once', async () => {
    const result = await h.cli(
      '--store',
      'postgres://app:hunter2@127.0.0.1:1/test',
      'keys',
      'list',
    );
    expect(result.code).toBe(storeUnavailable);
    expect(result.stderr).toContain('127.0.0.1:1');
    expect(result.stderr.match(/ECONNREFUSED/g)).toHaveLength(1);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('names CLAUDE_AUTH_STORE_URL and the accepted forms for a bad store URL, without its password', async () => {
    const result = await h.cli('--store', 'mysql://user:hunter2@db/x', 'keys', 'list');
    expect(result.stderr).toContain('CLAUDE_AUTH_STORE_URL');
    expect(result.stderr).toContain('sqlite:');
    expect(result.stderr).toContain('postgres://');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('refuses the memory: store (nothing a command wrote would survive it) as invalid input', async () => {
    const result = await h.cli('--store', 'memory:', 'keys', 'create', '--name', 'lost');
    expect(result.code).toBe(invalidInput);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^claude-auth: The memory: store lives only inside one process/);
  });
});

describe('configuration', () => {
  it('reads the store from the CLAUDE_AUTH_CONFIG file, relative to the working directory', async () => {
    await writeFile(
      `${h.dir}/claude-auth.json`,
      JSON.stringify({ storeUrl: 'sqlite:from-config.db' }),
    );
    let stdout = '';
    const code = await run(['workspaces', 'create', '--name', 'cfg', '--json'], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      env: { CLAUDE_AUTH_CONFIG: 'claude-auth.json' },
      cwd: h.dir,
    });
    expect(code).toBe(ok);
    expect(existsSync(`${h.dir}/from-config.db`)).toBe(true);
    expect(JSON.parse(stdout)).toMatchObject({ name: 'cfg' });
  });

  it('a bad config file is invalid input (exit 4)', async () => {
    await writeFile(`${h.dir}/bad.json`, '{ "storeUrl": 42 }');
    let stderr = '';
    const code = await run(['keys', 'list'], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      env: { CLAUDE_AUTH_CONFIG: 'bad.json' },
      cwd: h.dir,
    });
    expect(code).toBe(invalidInput);
    expect(stderr).toMatch(/^claude-auth: .*storeUrl/);
  });
});
