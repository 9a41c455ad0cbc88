import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigurationError, KeyManager, StoreUnavailableError } from '@claude-auth/core';
import {
  expectStoreError,
  runKeyStoreConformance,
  sampleKeyRecord,
} from '../../testing/src/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, SqliteKeyStore } from '../src/index.js';
import { MIGRATIONS } from '../src/migrations.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'claude-auth-sqlite-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

runKeyStoreConformance('SqliteKeyStore (file)', async () => {
  const dir = tempDir();
  const store = SqliteKeyStore.open(path.join(dir, 'keys.db'));
  return { store, cleanup: () => store.close() };
});

const FLIPPED = new Set<string | symbol>([
  'debitSpend',
  'getKey',
  'listKeys',
  'addRequestCounts',
  'getRequestCount',
]);

runKeyStoreConformance('SqliteKeyStore (two connections to one file)', async () => {
  // Writes through one connection, and half of the reads, debits and counts through another: both
  // must see one consistent database.
  const file = path.join(tempDir(), 'shared.db');
  const a = SqliteKeyStore.open(file);
  const b = SqliteKeyStore.open(file);
  let flip = false;
  const store = new Proxy(a, {
    get(target, property, receiver) {
      if (FLIPPED.has(property)) {
        flip = !flip;
        const chosen = flip ? b : target;
        const value = Reflect.get(chosen, property, chosen) as (...args: unknown[]) => unknown;
        return value.bind(chosen);
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return {
    store,
    cleanup: async () => {
      await a.close();
      await b.close();
    },
  };
});

describe('SqliteKeyStore', () => {
  it('creates parent directories, uses WAL and records the schema version', async () => {
    const file = path.join(tempDir(), 'nested', 'deeper', 'keys.db');
    const store = SqliteKeyStore.open(file);
    expect(existsSync(file)).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(Number(store.db.pragma('busy_timeout', { simple: true }))).toBe(5000);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const versions = store.db.prepare('SELECT version FROM schema_version ORDER BY version').all();
    expect(versions).toEqual(MIGRATIONS.map(({ version }) => ({ version })));
    await store.close();
  });

  it('keeps data across reopen and does not re-run migrations', async () => {
    const file = path.join(tempDir(), 'keys.db');
    const first = SqliteKeyStore.open(file);
    const record = sampleKeyRecord();
    await first.createKey(record);
    await first.close();
    const second = SqliteKeyStore.open(file);
    expect(await second.getKey(record.id)).toEqual(record);
    expect(second.db.prepare('SELECT COUNT(*) AS n FROM schema_version').get()).toEqual({
      n: MIGRATIONS.length,
    });
    await second.close();
  });

  it('migrates a version-1 database to request counts, keeping its data', async () => {
    const file = path.join(tempDir(), 'v1.db');
    const raw = new Database(file);
    raw.exec(
      'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    raw.exec(MIGRATIONS[0]!.sql);
    raw
      .prepare('INSERT INTO schema_version VALUES (?, ?, ?)')
      .run(1, MIGRATIONS[0]!.description, Date.now());
    raw.prepare('INSERT INTO spend VALUES (?, ?, ?)').run('wrkspc_old', '2025-01', 42);
    raw.close();
    const store = SqliteKeyStore.open(file);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.getSpend('wrkspc_old', '2025-01')).toBe(42);
    await store.addRequestCounts([{ workspaceId: 'wrkspc_old', period: '2025-01', requests: 3 }]);
    expect(await store.getRequestCount('wrkspc_old', '2025-01')).toBe(3);
    await store.close();
  });

  it('adds a request-count batch in one transaction: a held lock fails all of it, and a retry adds it once', async () => {
    const file = path.join(tempDir(), 'counts.db');
    const store = SqliteKeyStore.open(file, { busyTimeoutMs: 50 });
    const batch = [
      { workspaceId: 'wrkspc_a', period: '2025-01', requests: 2 },
      { workspaceId: 'wrkspc_b', period: '2025-01', requests: 3 },
    ];
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(store.addRequestCounts(batch)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await store.getRequestCount('wrkspc_a', '2025-01')).toBe(0);
    await store.addRequestCounts(batch);
    expect(await store.getRequestCount('wrkspc_a', '2025-01')).toBe(2);
    expect(await store.getRequestCount('wrkspc_b', '2025-01')).toBe(3);
    await store.close();
  });

  it('counts requests from several KeyManagers (instances) sharing one file, one write per flush each', async () => {
    const file = path.join(tempDir(), 'instances.db');
    const stores = [
      SqliteKeyStore.open(file),
      SqliteKeyStore.open(file),
      SqliteKeyStore.open(file),
    ];
    const now = () => new Date('2025-02-10T12:00:00Z');
    const managers = stores.map((store) => new KeyManager({ store, now, usageFlushIntervalMs: 0 }));
    const workspace = await managers[0]!.createWorkspace({ name: 'Shared' });
    for (const [i, manager] of managers.entries()) {
      for (let n = 0; n < 100 * (i + 1); n++) manager.recordUsage('key_x', now(), workspace.id);
    }
    // Before any flush, each instance sees only its own requests.
    expect((await managers[2]!.getWorkspaceUsage(workspace.id)).requests).toBe(300);
    await Promise.all(managers.map((manager) => manager.flushUsage()));
    for (const manager of managers)
      expect((await manager.getWorkspaceUsage(workspace.id)).requests).toBe(600);
    for (const manager of managers) await manager.close();
    for (const store of stores) await store.close();
  });

  it('refuses a database whose schema is newer than it knows', async () => {
    const file = path.join(tempDir(), 'future.db');
    const raw = new Database(file);
    raw.exec(
      'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    raw
      .prepare('INSERT INTO schema_version VALUES (?, ?, ?)')
      .run(LATEST_SCHEMA_VERSION + 1, 'future', Date.now());
    raw.close();
    expect(() => SqliteKeyStore.open(file)).toThrow(ConfigurationError);
  });

  it('works on an existing better-sqlite3 database, which it leaves open', async () => {
    const raw = new Database(':memory:');
    const store = new SqliteKeyStore({ database: raw });
    await store.createKey(sampleKeyRecord());
    await store.close();
    expect(raw.open).toBe(true);
    raw.close();
  });

  it('rejects with StoreUnavailableError once closed', async () => {
    const store = SqliteKeyStore.open(path.join(tempDir(), 'keys.db'));
    await store.close();
    await store.close();
    await expect(store.getKey('key_x')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('rejects with StoreUnavailableError when another writer holds the lock past busy_timeout', async () => {
    const file = path.join(tempDir(), 'locked.db');
    const store = SqliteKeyStore.open(file, { busyTimeoutMs: 50 });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(
        store.debitSpend({
          workspaceId: 'wrkspc_x',
          period: '2025-01',
          amountMicros: 1,
          limitMicros: null,
        }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await store.getSpend('wrkspc_x', '2025-01')).toBe(0);
    await store.close();
  });

  it('commits the debits of one event-loop turn together, each as if alone, and they hold on reopen', async () => {
    const file = path.join(tempDir(), 'group.db');
    const store = SqliteKeyStore.open(file);
    const debit = (debitId: string, amountMicros = 100) =>
      store.debitSpend({
        workspaceId: 'wrkspc_g',
        period: '2025-01',
        amountMicros,
        limitMicros: 250,
        debitId,
      });
    // Issued in the same turn: one group, applied in order against the limit.
    const results = await Promise.all([
      debit('d1'),
      debit('d2'),
      debit('d1'), // the same debit again: applied once
      debit('d3'),
      debit('d4'),
    ]);
    expect(results).toEqual([
      { applied: true, totalMicros: 100 },
      { applied: true, totalMicros: 200 },
      { applied: true, totalMicros: 200 },
      { applied: true, totalMicros: 300 },
      { applied: false, totalMicros: 300 },
    ]);
    await store.close();
    const reopened = SqliteKeyStore.open(file);
    expect(await reopened.getSpend('wrkspc_g', '2025-01')).toBe(300);
    await reopened.close();
  });

  it('commits a group of forced debits with ids in bulk, with the same results as one by one', async () => {
    const dir = tempDir();
    const grouped = SqliteKeyStore.open(path.join(dir, 'bulk.db'));
    const single = SqliteKeyStore.open(path.join(dir, 'single.db'));
    // 70 debits (more than one multi-row INSERT), two workspaces, two periods, interleaved;
    // half forced against a limit already passed, half with no limit.
    const debits = Array.from({ length: 70 }, (_, i) => ({
      workspaceId: i % 3 === 0 ? 'wrkspc_a' : 'wrkspc_b',
      period: i % 5 === 0 ? '2025-02' : '2025-01',
      amountMicros: 1000 + i * 37,
      limitMicros: i % 2 === 0 ? 1 : null,
      force: i % 2 === 0 ? true : undefined,
      debitId: `req_bulk_${i}:usage`,
    }));
    await single.debitSpend({ ...debits[0]!, debitId: 'req_before', amountMicros: 5 });
    await grouped.debitSpend({ ...debits[0]!, debitId: 'req_before', amountMicros: 5 });
    const expected = [];
    for (const debit of debits) expected.push(await single.debitSpend(debit));
    const results = await Promise.all(debits.map((debit) => grouped.debitSpend(debit)));
    expect(results).toEqual(expected);
    expect(results.every((result) => result.applied)).toBe(true);
    // Repeats (one group, every id known): nothing moves.
    const again = await Promise.all(debits.slice(0, 10).map((debit) => grouped.debitSpend(debit)));
    expect(again.map((result) => result.applied)).toEqual(Array(10).fill(true));
    await grouped.close();
    await single.close();
    const reopened = SqliteKeyStore.open(path.join(dir, 'bulk.db'));
    for (const [workspaceId, period] of [
      ['wrkspc_a', '2025-01'],
      ['wrkspc_a', '2025-02'],
      ['wrkspc_b', '2025-01'],
      ['wrkspc_b', '2025-02'],
    ] as const) {
      const sum = debits
        .filter((debit) => debit.workspaceId === workspaceId && debit.period === period)
        .reduce((total, debit) => total + debit.amountMicros, 0);
      const before = workspaceId === 'wrkspc_a' && period === '2025-02' ? 5 : 0;
      expect(await reopened.getSpend(workspaceId, period)).toBe(sum + before);
    }
    expect(reopened.db.prepare('SELECT count(*) AS n FROM spend_debits').get()).toEqual({ n: 71 });
    await reopened.close();
  });

  it('falls back to one debit at a time when a group of forced debits holds a known or repeated id', async () => {
    const store = SqliteKeyStore.open(path.join(tempDir(), 'bulk-known.db'));
    const debit = (debitId: string, amountMicros: number) =>
      store.debitSpend({
        workspaceId: 'wrkspc_k',
        period: '2025-01',
        amountMicros,
        limitMicros: null,
        force: true,
        debitId,
      });
    await debit('k1', 100);
    await store.voidDebit({ workspaceId: 'wrkspc_k', period: '2025-01', debitId: 'k2' });
    const results = await Promise.all([
      debit('k3', 10),
      debit('k1', 100), // applied earlier: not again
      debit('k2', 1000), // voided before it came: never applies
      debit('k4', 20),
      debit('k4', 20), // the same id twice in the group: once
    ]);
    expect(results).toEqual([
      { applied: true, totalMicros: 110 },
      { applied: true, totalMicros: 110 },
      { applied: false, totalMicros: 110 },
      { applied: true, totalMicros: 130 },
      { applied: true, totalMicros: 130 },
    ]);
    expect(await store.getSpend('wrkspc_k', '2025-01')).toBe(130);
    await store.close();
  });

  it('fails only the debit that fails inside a group; a held lock fails the whole group, applying none', async () => {
    const file = path.join(tempDir(), 'group-fail.db');
    const store = SqliteKeyStore.open(file, { busyTimeoutMs: 50 });
    const raw = new Database(file);
    // A total so close to SQLite's integer limit that adding to it overflows (STRICT: rejected).
    raw
      .prepare('INSERT INTO spend (workspace_id, period, total_micros) VALUES (?, ?, ?)')
      .run('wrkspc_full', '2025-01', 9223372036854775000n);
    const debit = (workspaceId: string, debitId: string) =>
      store.debitSpend({
        workspaceId,
        period: '2025-01',
        amountMicros: 5000,
        limitMicros: null,
        debitId,
      });
    const [before, failed, after] = await Promise.allSettled([
      debit('wrkspc_ok', 'ok1'),
      debit('wrkspc_full', 'full1'),
      debit('wrkspc_ok', 'ok2'),
    ]);
    expect(before).toEqual({ status: 'fulfilled', value: { applied: true, totalMicros: 5000 } });
    expect(failed?.status).toBe('rejected');
    expect(after).toEqual({ status: 'fulfilled', value: { applied: true, totalMicros: 10000 } });
    expect(
      raw.prepare('SELECT count(*) AS n FROM spend_debits WHERE debit_id = ?').get('full1'),
    ).toEqual({ n: 0 });

    raw.exec('BEGIN IMMEDIATE');
    const locked = await Promise.allSettled([debit('wrkspc_ok', 'ok3'), debit('wrkspc_ok', 'ok4')]);
    raw.exec('ROLLBACK');
    raw.close();
    for (const outcome of locked) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
    expect(await store.getSpend('wrkspc_ok', '2025-01')).toBe(10000);
    await store.close();
  });

  it('rejects a key in a workspace that does not exist', async () => {
    const store = SqliteKeyStore.open(path.join(tempDir(), 'keys.db'));
    const error = await expectStoreError(
      store.createKey(sampleKeyRecord({ workspaceId: 'wrkspc_missing' })),
      'not_found',
    );
    expect(error.message).toMatch(/workspace/);
    await store.close();
  });

  it('never writes a secret to the database file or its WAL', async () => {
    const file = path.join(tempDir(), 'secrets.db');
    const store = SqliteKeyStore.open(file);
    const keys = new KeyManager({ store });
    const workspace = await keys.createWorkspace({ name: 'W' });
    const secrets: string[] = [];
    for (let i = 0; i < 5; i++) {
      secrets.push(
        (await keys.createKey({ name: `k${i}`, workspaceId: i % 2 ? workspace.id : null })).secret,
      );
    }
    const first = await keys.listKeys();
    secrets.push((await keys.regenerateKey(first.data[0]!.id, { graceMs: 60_000 })).secret);
    // Read while the WAL still holds the writes, then again after the checkpoint on close.
    const walFile = `${file}-wal`;
    expect(existsSync(walFile)).toBe(true);
    const beforeClose = Buffer.concat([readFileSync(file), readFileSync(walFile)]);
    await keys.close();
    await store.close();
    const afterClose = Buffer.concat([
      readFileSync(file),
      existsSync(walFile) ? readFileSync(walFile) : Buffer.alloc(0),
    ]);
    for (const bytes of [beforeClose, afterClose]) {
      for (const secret of secrets) {
        expect(bytes.includes(secret)).toBe(false);
        // Not even the random part without its last four characters (the hint shows those).
        expect(bytes.includes(secret.slice(13, -4))).toBe(false);
        expect(bytes.includes(secret.slice(13, 33))).toBe(false);
      }
    }
    // The file is not empty: the keys are there, by hash.
    expect(afterClose.includes('cla_api_live_…')).toBe(true);
  });
});
