import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@claude-auth/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteKeyStore } from '../src/index.js';

const dirs: string[] = [];
const stores: SqliteKeyStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(options: { checkpointIntervalMs?: number } = {}): {
  store: SqliteKeyStore;
  file: string;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'claude-auth-ckpt-'));
  dirs.push(dir);
  const file = path.join(dir, 'keys.db');
  const store = SqliteKeyStore.open(file, options);
  stores.push(store);
  return { store, file };
}

async function debit(store: SqliteKeyStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await store.debitSpend({
      workspaceId: 'wrkspc_ckpt',
      period: '2026-11',
      amountMicros: 1,
      limitMicros: null,
      force: true,
      debitId: `req_${String(i).padStart(10, '0')}:usage`,
    });
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

describe('WAL checkpoints on a worker thread', () => {
  it('moves committed pages into the database file without a checkpoint in any commit', async () => {
    const { store, file } = open({ checkpointIntervalMs: 50 });
    // Commits only checkpoint past ten times SQLite's threshold: a safety net.
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    const before = statSync(file).size;
    await debit(store, 200); // ~600 WAL frames: below either threshold
    expect(await until(() => statSync(file).size > before, 5_000)).toBe(true);
    expect(await store.getSpend('wrkspc_ckpt', '2026-11')).toBe(200);
  });

  it('closes cleanly: the worker stops, the WAL is truncated, every debit is in the file', async () => {
    const { store, file } = open({ checkpointIntervalMs: 50 });
    await debit(store, 100);
    stores.splice(stores.indexOf(store), 1);
    await store.close();
    expect(statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    const again = SqliteKeyStore.open(file, { checkpointIntervalMs: 0 });
    stores.push(again);
    expect(await again.getSpend('wrkspc_ckpt', '2026-11')).toBe(100);
  });

  it('leaves checkpoints to SQLite with checkpointIntervalMs: 0, and for an in-memory store', () => {
    const { store } = open({ checkpointIntervalMs: 0 });
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    const memory = SqliteKeyStore.open(':memory:');
    stores.push(memory);
    expect(memory.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
  });

  it('refuses a checkpoint interval that is not a non-negative integer', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => open({ checkpointIntervalMs: bad })).toThrow(ConfigurationError);
    }
  });
});
