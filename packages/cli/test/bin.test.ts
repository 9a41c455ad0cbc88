import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const bin = path.join(root, 'packages/cli/dist/cli.js');
const exec = promisify(execFile);

let dir: string;

async function claudeAuth(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  if (!existsSync(bin)) {
    execFileSync('pnpm', ['--filter', '@claude-auth/cli...', 'build'], {
      cwd: root,
      stdio: 'ignore',
    });
  }
}, 240_000);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'claude-auth-bin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the built claude-auth binary', () => {
  it('has a node shebang', async () => {
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('creates a key in the default SQLite store under the working directory, then lists it', async () => {
    const created = await claudeAuth('keys', 'create', '--name', 'from-bin', '--json');
    expect(created.code).toBe(0);
    const { secret, key } = JSON.parse(created.stdout) as { secret: string; key: { id: string } };
    expect((await stat(path.join(dir, '.claude-auth/claude-auth.db'))).isFile()).toBe(true);
    const listed = await claudeAuth('keys', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(key.id);
    expect(listed.stdout).not.toContain(secret);
  });

  it('exits 3 with one stderr line for an unknown key, and 2 for a usage error', async () => {
    const missing = await claudeAuth('keys', 'get', 'key_missing00000000000000000');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^claude-auth: .+\n$/);
    expect((await claudeAuth('keys', 'frobnicate')).code).toBe(2);
  });
});
