import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_PATTERN } from '@claude-auth/core';
import { createHarness, type CliHarness, type KeyJson } from './cli-harness.js';

let h: CliHarness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

async function createKey(...args: string[]): Promise<{ secret: string; key: KeyJson }> {
  return h.json<{ secret: string; key: KeyJson }>('keys', 'create', '--name', 'ci', ...args);
}

describe('claude-auth keys', () => {
  it('create prints the secret alone on stdout and warns on stderr', async () => {
    const result = await h.cli('keys', 'create', '--name', 'Production');
    expect(result.code).toBe(0);
    const secret = result.stdout.trim();
    expect(result.stdout).toBe(`${secret}\n`);
    expect(secret).toMatch(KEY_PATTERN);
    expect(secret.startsWith('cla_api_live_')).toBe(true);
    expect(result.stderr).toMatch(/only time the secret is shown/);
    expect(result.stderr).not.toContain(secret);
  });

  it('create --json prints { secret, key } with every option applied', async () => {
    const ws = await h.json<{ id: string }>('workspaces', 'create', '--name', 'Research');
    const before = Date.now();
    const { secret, key } = await createKey(
      '--workspace',
      ws.id,
      '--permissions',
      'messages:write,models:read',
      '--kind',
      'admin',
      '--environment',
      'test',
      '--expires',
      '30d',
    );
    expect(secret).toMatch(/^cla_admin_test_/);
    expect(key).toMatchObject({
      name: 'ci',
      kind: 'admin',
      environment: 'test',
      workspaceId: ws.id,
      permissions: ['messages:write', 'models:read'],
      status: 'active',
      lastUsedAt: null,
    });
    expect(key.hint.endsWith(secret.slice(-4))).toBe(true);
    const expires = Date.parse(key.expiresAt!);
    expect(expires - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
    expect(expires - before).toBeLessThanOrEqual(30 * 86_400_000 + 60_000);
  });

  it('list shows a table with the hint, status, workspace and ISO dates; filters apply', async () => {
    const ws = await h.json<{ id: string }>('workspaces', 'create', '--name', 'Research');
    const a = await createKey();
    const b = await createKey('--workspace', ws.id);
    await h.cli('keys', 'deactivate', a.key.id);

    const table = await h.cli('keys', 'list');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+HINT\s+STATUS\s+WORKSPACE\s+CREATED\s+LAST USED$/);
    expect(lines).toHaveLength(3);
    expect(table.stdout).toContain(a.key.hint);
    expect(table.stdout).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/);
    expect(table.stdout).toContain('never');

    const inWs = await h.json<{ data: KeyJson[] }>('keys', 'list', '--workspace', ws.id);
    expect(inWs.data.map((k) => k.id)).toEqual([b.key.id]);
    const inactive = await h.json<{ data: KeyJson[] }>('keys', 'list', '--status', 'inactive');
    expect(inactive.data.map((k) => k.id)).toEqual([a.key.id]);
    const limited = await h.json<{ data: KeyJson[]; hasMore: boolean }>(
      'keys',
      'list',
      '--limit',
      '1',
    );
    expect(limited.data).toHaveLength(1);
    expect(limited.hasMore).toBe(true);
  });

  it('get shows one key with its hint', async () => {
    const { key } = await createKey('--permissions', 'messages:write');
    const shown = await h.cli('keys', 'get', key.id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^id:\\s+${key.id}$`, 'm'));
    expect(shown.stdout).toMatch(/^permissions:\s+messages:write$/m);
    expect(await h.json<KeyJson>('keys', 'get', key.id)).toEqual(key);
  });

  it('rename changes the name only', async () => {
    const { key } = await createKey();
    const renamed = await h.json<KeyJson>('keys', 'rename', key.id, 'Staging');
    expect(renamed).toMatchObject({ id: key.id, name: 'Staging', hint: key.hint });
  });

  it.each([
    ['deactivate', 'inactive'],
    ['revoke', 'archived'],
  ])('%s sets the status to %s', async (command, status) => {
    const { key } = await createKey();
    expect((await h.json<KeyJson>('keys', command, key.id)).status).toBe(status);
    expect((await h.json<KeyJson>('keys', 'get', key.id)).status).toBe(status);
  });

  it('activate turns a deactivated key back on', async () => {
    const { key } = await createKey();
    await h.cli('keys', 'deactivate', key.id);
    expect((await h.json<KeyJson>('keys', 'activate', key.id)).status).toBe('active');
  });

  it('regenerate prints a new secret once and keeps the id', async () => {
    const { secret, key } = await createKey();
    const result = await h.cli('keys', 'regenerate', key.id, '--grace', '10m');
    expect(result.code).toBe(0);
    const fresh = result.stdout.trim();
    expect(fresh).toMatch(KEY_PATTERN);
    expect(fresh).not.toBe(secret);
    expect(result.stderr).toMatch(/only time the secret is shown/);
    const after = await h.json<KeyJson>('keys', 'get', key.id);
    expect(after.id).toBe(key.id);
    expect(after.hint.endsWith(fresh.slice(-4))).toBe(true);
  });

  it('set-rate-limit sets and clears the key policy', async () => {
    const { key } = await createKey();
    expect(
      (await h.json<KeyJson>('keys', 'set-rate-limit', key.id, '--rpm', '60', '--burst', '10'))
        .rateLimit,
    ).toEqual({ rpm: 60, burst: 10 });
    expect((await h.cli('keys', 'get', key.id)).stdout).toMatch(
      /^rate limit:\s+60 rpm \(burst 10\)$/m,
    );
    expect(
      (await h.json<KeyJson>('keys', 'set-rate-limit', key.id, '--clear')).rateLimit,
    ).toBeNull();
  });
});
