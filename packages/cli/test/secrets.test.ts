import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type CliHarness, type KeyJson } from './cli-harness.js';

let h: CliHarness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

/** The secret, its body without the prefix, and its random part: none may leak. */
function fragments(secret: string): string[] {
  const body = secret.split('_').at(-1)!;
  return [secret, body, body.slice(0, 20), body.slice(20, 40)];
}

describe('secrets are shown once and stored nowhere', () => {
  it('after creation, the secret is in no file of the store and in no other output', async () => {
    const ws = await h.json<{ id: string }>('workspaces', 'create', '--name', 'W');
    const created = await h.cli('keys', 'create', '--name', 'leak-check', '--workspace', ws.id);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    const id = (await h.json<{ data: KeyJson[] }>('keys', 'list')).data[0]!.id;
    const seen = h.transcript.length;

    const runs: string[][] = [
      ['keys', 'list'],
      ['keys', 'list', '--json'],
      ['keys', 'get', id],
      ['keys', 'get', id, '--json'],
      ['keys', 'rename', id, 'renamed'],
      ['keys', 'deactivate', id],
      ['keys', 'activate', id],
      ['keys', 'set-rate-limit', id, '--rpm', '5'],
      ['keys', 'revoke', id, '--json'],
      ['workspaces', 'list'],
      ['workspaces', 'usage', ws.id],
      ['workspaces', 'archive', ws.id],
      // error paths
      ['keys', 'get', secret],
      ['keys', 'rename', secret, secret],
      ['keys', 'create', '--name', secret, '--kind', 'x'],
      ['keys', 'get', secret, '--json'],
      ['--store', `mysql://${secret}`, 'keys', 'list'],
      ['keys', 'set-rate-limit', id, '--rpm', secret],
      ['keys', 'regenerate', id, '--grace', secret],
      ['workspaces', 'set-limit', ws.id, '--monthly-usd', secret],
      ['keys', 'list', '--status', secret],
    ];
    for (const args of runs) await h.cli(...args);
    const later = h.transcript.slice(seen).join('\n');
    const errorsOnly = h.transcript
      .slice(seen)
      .filter((_, i) => i % 2 === 1)
      .join('\n');
    expect(errorsOnly).toContain('claude-auth:');

    const files = [h.dbFile, `${h.dbFile}-wal`, `${h.dbFile}-shm`].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    const stored = (await Promise.all(files.map((f) => readFile(f))))
      .map((b) => b.toString('latin1'))
      .join('');
    for (const fragment of fragments(secret)) {
      expect(stored).not.toContain(fragment);
      expect(later).not.toContain(fragment);
    }
  });
});
