import { KeyManager } from '@claude-auth/core';
import { SqliteKeyStore } from '@claude-auth/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type CliHarness, type KeyJson, type WorkspaceJson } from './cli-harness.js';

let h: CliHarness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

describe('claude-auth workspaces', () => {
  it('create, with and without a monthly limit', async () => {
    const plain = await h.json<WorkspaceJson>('workspaces', 'create', '--name', 'Research');
    expect(plain).toMatchObject({
      name: 'Research',
      status: 'active',
      monthlySpendLimitMicros: null,
    });
    expect(plain.id).toMatch(/^wrkspc_/);
    const limited = await h.json<WorkspaceJson>(
      'workspaces',
      'create',
      '--name',
      'Ops',
      '--monthly-usd',
      '12.5',
    );
    expect(limited.monthlySpendLimitMicros).toBe(12_500_000);
    const human = await h.cli('workspaces', 'create', '--name', 'Human');
    expect(human.stdout).toMatch(/^id:\s+wrkspc_/m);
    expect(human.stdout).toMatch(/^monthly limit:\s+none$/m);
  });

  it('list shows active workspaces; --all adds archived ones', async () => {
    const a = await h.json<WorkspaceJson>(
      'workspaces',
      'create',
      '--name',
      'A',
      '--monthly-usd',
      '100',
    );
    const b = await h.json<WorkspaceJson>('workspaces', 'create', '--name', 'B');
    await h.cli('workspaces', 'archive', b.id);
    const table = await h.cli('workspaces', 'list');
    expect(table.stdout).toMatch(/^ID\s+NAME\s+STATUS\s+MONTHLY LIMIT\s+RATE LIMIT\s+CREATED$/m);
    expect(table.stdout).toContain('$100.00');
    expect(table.stdout).toContain(a.id);
    expect(table.stdout).not.toContain(b.id);
    const all = await h.json<{ data: WorkspaceJson[] }>('workspaces', 'list', '--all');
    expect(all.data.map((w) => w.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('rename', async () => {
    const ws = await h.json<WorkspaceJson>('workspaces', 'create', '--name', 'A');
    expect((await h.json<WorkspaceJson>('workspaces', 'rename', ws.id, 'Renamed')).name).toBe(
      'Renamed',
    );
  });

  it('archive archives the workspace and revokes its keys', async () => {
    const ws = await h.json<WorkspaceJson>('workspaces', 'create', '--name', 'A');
    const { key } = await h.json<{ key: KeyJson }>(
      'keys',
      'create',
      '--name',
      'k',
      '--workspace',
      ws.id,
    );
    expect((await h.json<WorkspaceJson>('workspaces', 'archive', ws.id)).status).toBe('archived');
    expect((await h.json<KeyJson>('keys', 'get', key.id)).status).toBe('archived');
  });

  it('set-limit sets and clears the monthly limit', async () => {
    const ws = await h.json<WorkspaceJson>('workspaces', 'create', '--name', 'A');
    expect(
      (await h.json<WorkspaceJson>('workspaces', 'set-limit', ws.id, '--monthly-usd', '100'))
        .monthlySpendLimitMicros,
    ).toBe(100_000_000);
    expect(
      (await h.json<WorkspaceJson>('workspaces', 'set-limit', ws.id, '--clear'))
        .monthlySpendLimitMicros,
    ).toBeNull();
  });

  it('set-rate-limit sets the workspace policy', async () => {
    const ws = await h.json<WorkspaceJson>('workspaces', 'create', '--name', 'A');
    expect(
      (await h.json<WorkspaceJson>('workspaces', 'set-rate-limit', ws.id, '--rpm', '120'))
        .rateLimit,
    ).toEqual({ rpm: 120 });
  });

  it('usage shows this month against the limit', async () => {
    const ws = await h.json<WorkspaceJson>(
      'workspaces',
      'create',
      '--name',
      'A',
      '--monthly-usd',
      '100',
    );
    const usage = await h.json<Record<string, unknown>>('workspaces', 'usage', ws.id);
    expect(usage).toMatchObject({
      workspaceId: ws.id,
      spentMicros: 0,
      limitMicros: 100_000_000,
      limitUsd: 100,
    });
    expect(usage.period).toMatch(/^\d{4}-\d{2}$/);
    const human = await h.cli('workspaces', 'usage', ws.id);
    expect(human.stdout).toMatch(/^spent:\s+\$0\.00$/m);
    expect(human.stdout).toMatch(/^remaining:\s+\$100\.00$/m);
    expect(human.stdout).toMatch(/^requests:\s+0$/m);
  });

  it('usage shows the requests every instance counted this month', async () => {
    const ws = await h.json<WorkspaceJson>('workspaces', 'create', '--name', 'Busy');
    const other = await h.json<WorkspaceJson>('workspaces', 'create', '--name', 'Quiet');
    // Two service instances on the same store, each counting requests in memory, then flushing.
    const stores = [SqliteKeyStore.open(h.dbFile), SqliteKeyStore.open(h.dbFile)];
    try {
      const instances = stores.map((store) => new KeyManager({ store, usageFlushIntervalMs: 0 }));
      for (let i = 0; i < 1200; i++) instances[0]!.recordUsage('key_a', new Date(), ws.id);
      for (let i = 0; i < 34; i++) instances[1]!.recordUsage('key_b', new Date(), ws.id);
      instances[1]!.recordUsage('key_b', new Date(), other.id);
      instances[1]!.recordUsage('key_org', new Date(), null);
      for (const instance of instances) await instance.close();
    } finally {
      for (const store of stores) await store.close();
    }
    const usage = await h.json<{ requests: number }>('workspaces', 'usage', ws.id);
    expect(usage.requests).toBe(1234);
    expect((await h.json<{ requests: number }>('workspaces', 'usage', other.id)).requests).toBe(1);
    const human = await h.cli('workspaces', 'usage', ws.id);
    expect(human.stdout).toMatch(/^requests:\s+1,234$/m);
  });
});
