import {
  generateApiKey,
  hashKey,
  keyHint,
  newKeyId,
  newWorkspaceId,
  type ApiKeyRecord,
  type KeyStore,
  type WorkspaceRecord,
} from '@claude-auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runUsageConformance } from './usage-conformance.js';

/** What a conformance factory returns: a fresh, empty store and how to dispose of it. */
export interface KeyStoreFixture {
  store: KeyStore;
  /** Runs after each test. When absent, `store.close()` is called instead. */
  cleanup?: () => Promise<void>;
}

const BASE = Date.UTC(2025, 0, 15, 12, 0, 0, 123);
const at = (offsetMs: number): Date => new Date(BASE + offsetMs);

/** A complete, valid key record with every nullable field filled in; override what a test needs. */
export function sampleKeyRecord(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const secret = generateApiKey();
  return {
    id: newKeyId(),
    name: 'Production',
    hint: keyHint(secret),
    hash: hashKey(secret),
    previousHash: null,
    previousHashExpiresAt: null,
    kind: 'api',
    environment: 'live',
    workspaceId: null,
    permissions: ['messages:write', 'models:read'],
    status: 'active',
    createdAt: at(0),
    createdBy: 'user_1',
    updatedAt: at(0),
    lastUsedAt: null,
    expiresAt: null,
    rateLimit: null,
    ...overrides,
  };
}

/** A complete, valid workspace record; override what a test needs. */
export function sampleWorkspaceRecord(overrides: Partial<WorkspaceRecord> = {}): WorkspaceRecord {
  return {
    id: newWorkspaceId(),
    name: 'Research',
    status: 'active',
    createdAt: at(0),
    archivedAt: null,
    monthlySpendLimitMicros: null,
    rateLimit: null,
    ...overrides,
  };
}

function expectSameKey(actual: ApiKeyRecord | null, expected: ApiKeyRecord): void {
  expect(actual).not.toBeNull();
  expect(actual).toEqual(expected);
  for (const field of [
    'createdAt',
    'updatedAt',
    'lastUsedAt',
    'expiresAt',
    'previousHashExpiresAt',
  ] as const) {
    const value = actual![field];
    if (expected[field] === null) expect(value).toBeNull();
    else {
      expect(value).toBeInstanceOf(Date);
      expect(value!.getTime()).toBe(expected[field].getTime());
    }
  }
}

/**
 * The behaviour every {@link KeyStore} must have. Call it from a test file with a factory that
 * returns a fresh, empty store for each test; it registers a `describe` block with vitest.
 *
 * @example
 * ```ts
 * import { runKeyStoreConformance } from '@claude-auth/testing';
 * runKeyStoreConformance('SqliteKeyStore', async () => {
 *   const store = SqliteKeyStore.open(tempFile());
 *   return { store, cleanup: () => store.close() };
 * });
 * ```
 */
export function runKeyStoreConformance(
  name: string,
  factory: () => Promise<KeyStoreFixture>,
): void {
  describe(`KeyStore conformance: ${name}`, () => {
    let store: KeyStore;
    let fixture: KeyStoreFixture;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });

    afterEach(async () => {
      if (fixture.cleanup) await fixture.cleanup();
      else await store.close?.();
    });

    describe('keys', () => {
      it('round-trips every field, Dates included', async () => {
        const workspace = sampleWorkspaceRecord();
        await store.createWorkspace(workspace);
        const full = sampleKeyRecord({
          kind: 'admin',
          environment: 'test',
          workspaceId: workspace.id,
          permissions: [],
          status: 'inactive',
          createdBy: null,
          updatedAt: at(5),
          lastUsedAt: at(7),
          expiresAt: at(86_400_000),
          previousHash: hashKey(generateApiKey()),
          previousHashExpiresAt: at(60_000),
          rateLimit: { rpm: 120, burst: 10 },
        });
        const plain = sampleKeyRecord({ rateLimit: { rpm: 30 } });
        await store.createKey(full);
        await store.createKey(plain);
        expectSameKey(await store.getKey(full.id), full);
        expectSameKey(await store.getKey(plain.id), plain);
      });

      it('returns null for an unknown id or hash', async () => {
        expect(await store.getKey(newKeyId())).toBeNull();
        expect(await store.findKeyByHash(hashKey(generateApiKey()), at(0))).toBeNull();
      });

      it('rejects a duplicate id and a duplicate hash, leaving the original intact', async () => {
        const original = sampleKeyRecord();
        await store.createKey(original);
        await expect(store.createKey(sampleKeyRecord({ id: original.id }))).rejects.toThrow();
        await expect(store.createKey(sampleKeyRecord({ hash: original.hash }))).rejects.toThrow();
        expectSameKey(await store.getKey(original.id), original);
        expect((await store.listKeys()).data).toHaveLength(1);
      });

      it('finds a key by its current hash', async () => {
        const record = sampleKeyRecord();
        await store.createKey(record);
        await store.createKey(sampleKeyRecord());
        expect((await store.findKeyByHash(record.hash, at(0)))?.id).toBe(record.id);
      });

      it('finds a key by its previous hash only until previousHashExpiresAt', async () => {
        const record = sampleKeyRecord();
        await store.createKey(record);
        const newHash = hashKey(generateApiKey());
        const updated = await store.updateKey(record.id, {
          hash: newHash,
          previousHash: record.hash,
          previousHashExpiresAt: at(60_000),
          updatedAt: at(1),
        });
        expect(updated?.hash).toBe(newHash);
        expect((await store.findKeyByHash(newHash, at(120_000)))?.id).toBe(record.id);
        expect((await store.findKeyByHash(record.hash, at(59_999)))?.id).toBe(record.id);
        expect(await store.findKeyByHash(record.hash, at(60_000))).toBeNull();
        expect(await store.findKeyByHash(record.hash, at(120_000))).toBeNull();
      });

      it('does not find a previous hash without an expiry, or after it is cleared', async () => {
        const record = sampleKeyRecord();
        await store.createKey(record);
        const newHash = hashKey(generateApiKey());
        await store.updateKey(record.id, {
          hash: newHash,
          previousHash: record.hash,
          previousHashExpiresAt: null,
        });
        expect(await store.findKeyByHash(record.hash, at(0))).toBeNull();
        await store.updateKey(record.id, { previousHash: null, previousHashExpiresAt: null });
        expect(await store.findKeyByHash(record.hash, at(0))).toBeNull();
        expect((await store.findKeyByHash(newHash, at(0)))?.id).toBe(record.id);
      });

      it('returns copies: mutating a result or the input never changes the store', async () => {
        const record = sampleKeyRecord({ rateLimit: { rpm: 10 }, lastUsedAt: at(3) });
        const snapshot = structuredClone(record);
        await store.createKey(record);
        record.name = 'changed';
        record.permissions.push('admin');
        record.createdAt.setTime(0);
        const first = (await store.getKey(record.id))!;
        first.name = 'mutated';
        first.permissions.push('*');
        first.createdAt.setTime(0);
        first.lastUsedAt!.setTime(0);
        first.rateLimit!.rpm = 1;
        const listed = (await store.listKeys()).data[0]!;
        listed.permissions.length = 0;
        const found = (await store.findKeyByHash(snapshot.hash, at(0)))!;
        found.status = 'archived';
        expectSameKey(await store.getKey(record.id), snapshot);
      });

      it('updates only the patched fields and returns the updated record', async () => {
        const record = sampleKeyRecord();
        await store.createKey(record);
        const updated = await store.updateKey(record.id, {
          name: 'Renamed',
          status: 'inactive',
          permissions: ['models:read'],
          expiresAt: at(1000),
          rateLimit: { rpm: 5, burst: 2 },
          updatedAt: at(10),
        });
        const expected = {
          ...record,
          name: 'Renamed',
          status: 'inactive' as const,
          permissions: ['models:read'],
          expiresAt: at(1000),
          rateLimit: { rpm: 5, burst: 2 },
          updatedAt: at(10),
        };
        expectSameKey(updated, expected);
        expectSameKey(await store.getKey(record.id), expected);
        const cleared = await store.updateKey(record.id, { expiresAt: null, rateLimit: null });
        expect(cleared?.expiresAt).toBeNull();
        expect(cleared?.rateLimit).toBeNull();
        expect(cleared?.name).toBe('Renamed');
      });

      it('returns null when updating an unknown key', async () => {
        expect(await store.updateKey(newKeyId(), { name: 'x' })).toBeNull();
      });

      it('deletes a key: true once, then false; its hash no longer resolves', async () => {
        const record = sampleKeyRecord();
        await store.createKey(record);
        expect(await store.deleteKey(record.id)).toBe(true);
        expect(await store.deleteKey(record.id)).toBe(false);
        expect(await store.getKey(record.id)).toBeNull();
        expect(await store.findKeyByHash(record.hash, at(0))).toBeNull();
        // The hash is free again.
        await store.createKey(sampleKeyRecord({ hash: record.hash }));
      });

      it('touchKeys moves lastUsedAt forward only, in batches, ignoring unknown ids', async () => {
        const a = sampleKeyRecord();
        const b = sampleKeyRecord({ lastUsedAt: at(50_000) });
        await store.createKey(a);
        await store.createKey(b);
        await store.touchKeys([
          { id: a.id, lastUsedAt: at(20_000) },
          { id: b.id, lastUsedAt: at(10_000) },
          { id: newKeyId(), lastUsedAt: at(1) },
        ]);
        expect((await store.getKey(a.id))?.lastUsedAt?.getTime()).toBe(at(20_000).getTime());
        expect((await store.getKey(b.id))?.lastUsedAt?.getTime()).toBe(at(50_000).getTime());
        await store.touchKeys([{ id: a.id, lastUsedAt: at(5_000) }]);
        expect((await store.getKey(a.id))?.lastUsedAt?.getTime()).toBe(at(20_000).getTime());
        await store.touchKeys([
          { id: a.id, lastUsedAt: at(90_000) },
          { id: a.id, lastUsedAt: at(30_000) },
        ]);
        expect((await store.getKey(a.id))?.lastUsedAt?.getTime()).toBe(at(90_000).getTime());
        await store.touchKeys([]);
      });

      it('lists keys newest first (createdAt, then id), paginating without gaps or repeats', async () => {
        const created: ApiKeyRecord[] = [];
        for (let i = 0; i < 7; i++) {
          // Two pairs share a createdAt: the id breaks the tie.
          const record = sampleKeyRecord({ createdAt: at(Math.floor(i / 2) * 1000) });
          created.push(record);
          await store.createKey(record);
        }
        const expected = [...created]
          .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (x.id < y.id ? 1 : -1))
          .map((record) => record.id);
        const all = await store.listKeys();
        expect(all.data.map((record) => record.id)).toEqual(expected);
        expect(all.hasMore).toBe(false);
        expect(all.nextCursor).toBeNull();

        const seen: string[] = [];
        let after: string | undefined;
        let pages = 0;
        for (;;) {
          const page = await store.listKeys({ limit: 3, after });
          pages++;
          seen.push(...page.data.map((record) => record.id));
          if (!page.hasMore) {
            expect(page.nextCursor).toBeNull();
            break;
          }
          expect(page.data).toHaveLength(3);
          expect(typeof page.nextCursor).toBe('string');
          after = page.nextCursor!;
        }
        expect(pages).toBe(3);
        expect(seen).toEqual(expected);
      });

      it('pages 100 keys by default', async () => {
        for (let i = 0; i < 101; i++) await store.createKey(sampleKeyRecord({ createdAt: at(i) }));
        const page = await store.listKeys();
        expect(page.data).toHaveLength(100);
        expect(page.hasMore).toBe(true);
        const rest = await store.listKeys({ after: page.nextCursor! });
        expect(rest.data).toHaveLength(1);
        expect(rest.data[0]!.createdAt.getTime()).toBe(at(0).getTime());
      });

      it('rejects a page size outside 1..1000', async () => {
        await expect(store.listKeys({ limit: 0 })).rejects.toThrow();
        await expect(store.listKeys({ limit: 1001 })).rejects.toThrow();
      });

      it('filters keys by workspace (null: organisation-wide only) and by status', async () => {
        const w1 = sampleWorkspaceRecord();
        const w2 = sampleWorkspaceRecord();
        await store.createWorkspace(w1);
        await store.createWorkspace(w2);
        const org = sampleKeyRecord({ createdAt: at(1) });
        const k1 = sampleKeyRecord({ workspaceId: w1.id, createdAt: at(2) });
        const k1b = sampleKeyRecord({ workspaceId: w1.id, status: 'inactive', createdAt: at(3) });
        const k2 = sampleKeyRecord({ workspaceId: w2.id, status: 'archived', createdAt: at(4) });
        for (const record of [org, k1, k1b, k2]) await store.createKey(record);
        const ids = async (filter: Parameters<KeyStore['listKeys']>[0]) =>
          (await store.listKeys(filter)).data.map((record) => record.id);
        expect(await ids({ workspaceId: w1.id })).toEqual([k1b.id, k1.id]);
        expect(await ids({ workspaceId: null })).toEqual([org.id]);
        expect(await ids({ status: 'archived' })).toEqual([k2.id]);
        expect(await ids({ workspaceId: w1.id, status: 'active' })).toEqual([k1.id]);
        expect(await ids({})).toEqual([k2.id, k1b.id, k1.id, org.id]);
        expect(await ids({ workspaceId: newWorkspaceId() })).toEqual([]);
      });
    });

    describe('workspaces', () => {
      it('round-trips a workspace and rejects a duplicate id', async () => {
        const workspace = sampleWorkspaceRecord({
          monthlySpendLimitMicros: 25_000_000,
          rateLimit: { rpm: 600, burst: 50 },
        });
        await store.createWorkspace(workspace);
        expect(await store.getWorkspace(workspace.id)).toEqual(workspace);
        expect((await store.getWorkspace(workspace.id))?.createdAt).toBeInstanceOf(Date);
        await expect(
          store.createWorkspace(sampleWorkspaceRecord({ id: workspace.id })),
        ).rejects.toThrow();
        expect(await store.getWorkspace(newWorkspaceId())).toBeNull();
      });

      it('returns workspace copies', async () => {
        const workspace = sampleWorkspaceRecord({ rateLimit: { rpm: 5 } });
        await store.createWorkspace(workspace);
        const copy = (await store.getWorkspace(workspace.id))!;
        copy.name = 'x';
        copy.rateLimit!.rpm = 1;
        copy.createdAt.setTime(0);
        expect(await store.getWorkspace(workspace.id)).toEqual(workspace);
      });

      it('updates only the patched fields; null clears limits; unknown id gives null', async () => {
        const workspace = sampleWorkspaceRecord({ monthlySpendLimitMicros: 1_000_000 });
        await store.createWorkspace(workspace);
        expect(
          await store.updateWorkspace(workspace.id, { name: 'Renamed', rateLimit: { rpm: 9 } }),
        ).toEqual({
          ...workspace,
          name: 'Renamed',
          rateLimit: { rpm: 9 },
        });
        const cleared = await store.updateWorkspace(workspace.id, {
          monthlySpendLimitMicros: null,
        });
        expect(cleared?.monthlySpendLimitMicros).toBeNull();
        expect(cleared?.name).toBe('Renamed');
        expect(await store.updateWorkspace(newWorkspaceId(), { name: 'x' })).toBeNull();
      });

      it('lists active workspaces newest first, archived ones only on request, with pagination', async () => {
        const made: WorkspaceRecord[] = [];
        for (let i = 0; i < 5; i++) {
          const workspace = sampleWorkspaceRecord({ createdAt: at(i * 1000) });
          made.push(workspace);
          await store.createWorkspace(workspace);
        }
        await store.archiveWorkspace(made[1]!.id, at(10_000));
        const active = await store.listWorkspaces();
        expect(active.data.map((w) => w.id)).toEqual([
          made[4]!.id,
          made[3]!.id,
          made[2]!.id,
          made[0]!.id,
        ]);
        const all = await store.listWorkspaces({ includeArchived: true });
        expect(all.data.map((w) => w.id)).toEqual([...made].reverse().map((w) => w.id));
        const first = await store.listWorkspaces({ includeArchived: true, limit: 2 });
        expect(first.hasMore).toBe(true);
        const second = await store.listWorkspaces({
          includeArchived: true,
          limit: 2,
          after: first.nextCursor!,
        });
        const third = await store.listWorkspaces({
          includeArchived: true,
          limit: 2,
          after: second.nextCursor!,
        });
        expect(third.hasMore).toBe(false);
        expect([...first.data, ...second.data, ...third.data].map((w) => w.id)).toEqual(
          all.data.map((w) => w.id),
        );
      });

      it('archiveWorkspace archives the workspace and exactly its non-archived keys', async () => {
        const target = sampleWorkspaceRecord();
        const other = sampleWorkspaceRecord();
        await store.createWorkspace(target);
        await store.createWorkspace(other);
        const active = sampleKeyRecord({ workspaceId: target.id });
        const inactive = sampleKeyRecord({ workspaceId: target.id, status: 'inactive' });
        const already = sampleKeyRecord({ workspaceId: target.id, status: 'archived' });
        const elsewhere = sampleKeyRecord({ workspaceId: other.id });
        const org = sampleKeyRecord();
        for (const record of [active, inactive, already, elsewhere, org])
          await store.createKey(record);

        const result = await store.archiveWorkspace(target.id, at(5000));
        expect(result).not.toBeNull();
        expect(result!.workspace.status).toBe('archived');
        expect(result!.workspace.archivedAt?.getTime()).toBe(at(5000).getTime());
        expect([...result!.archivedKeyIds].sort()).toEqual([active.id, inactive.id].sort());
        for (const id of [active.id, inactive.id, already.id]) {
          expect((await store.getKey(id))?.status).toBe('archived');
        }
        expect((await store.getKey(elsewhere.id))?.status).toBe('active');
        expect((await store.getKey(org.id))?.status).toBe('active');
        expect((await store.getWorkspace(target.id))?.status).toBe('archived');
        expect((await store.getWorkspace(other.id))?.status).toBe('active');
        expect(await store.archiveWorkspace(newWorkspaceId(), at(0))).toBeNull();
      });

      it('archiveWorkspace is atomic: concurrent calls archive each key exactly once', async () => {
        const workspace = sampleWorkspaceRecord();
        await store.createWorkspace(workspace);
        const ids: string[] = [];
        for (let i = 0; i < 20; i++) {
          const record = sampleKeyRecord({ workspaceId: workspace.id, createdAt: at(i) });
          ids.push(record.id);
          await store.createKey(record);
        }
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) => store.archiveWorkspace(workspace.id, at(10_000 + i))),
        );
        const archived = results.flatMap((result) => result!.archivedKeyIds);
        expect([...archived].sort()).toEqual([...ids].sort());
        const listed = await store.listKeys({ workspaceId: workspace.id, status: 'active' });
        expect(listed.data).toHaveLength(0);
      });
    });

    describe('spend', () => {
      it('starts at zero and accumulates per workspace and per period', async () => {
        const w1 = newWorkspaceId();
        const w2 = newWorkspaceId();
        expect(await store.getSpend(w1, '2025-01')).toBe(0);
        expect(
          await store.debitSpend({
            workspaceId: w1,
            period: '2025-01',
            amountMicros: 1500,
            limitMicros: null,
          }),
        ).toEqual({
          applied: true,
          totalMicros: 1500,
        });
        expect(
          await store.debitSpend({
            workspaceId: w1,
            period: '2025-01',
            amountMicros: 500,
            limitMicros: null,
          }),
        ).toEqual({
          applied: true,
          totalMicros: 2000,
        });
        await store.debitSpend({
          workspaceId: w1,
          period: '2025-02',
          amountMicros: 7,
          limitMicros: null,
        });
        await store.debitSpend({
          workspaceId: w2,
          period: '2025-01',
          amountMicros: 9,
          limitMicros: null,
        });
        expect(await store.getSpend(w1, '2025-01')).toBe(2000);
        expect(await store.getSpend(w1, '2025-02')).toBe(7);
        expect(await store.getSpend(w2, '2025-01')).toBe(9);
      });

      it('applies a debit only while the total before it is below the limit, unless forced', async () => {
        const w = newWorkspaceId();
        const debit = (amountMicros: number, force?: boolean) =>
          store.debitSpend({
            workspaceId: w,
            period: '2025-03',
            amountMicros,
            limitMicros: 1000,
            force,
          });
        expect(await debit(900)).toEqual({ applied: true, totalMicros: 900 });
        // Below the limit before: applied, even though it overshoots.
        expect(await debit(300)).toEqual({ applied: true, totalMicros: 1200 });
        expect(await debit(1)).toEqual({ applied: false, totalMicros: 1200 });
        expect(await debit(50, true)).toEqual({ applied: true, totalMicros: 1250 });
        expect(await store.getSpend(w, '2025-03')).toBe(1250);
        // Exactly at the limit is refused.
        const w2 = newWorkspaceId();
        await store.debitSpend({
          workspaceId: w2,
          period: '2025-03',
          amountMicros: 1000,
          limitMicros: 1000,
        });
        expect(
          await store.debitSpend({
            workspaceId: w2,
            period: '2025-03',
            amountMicros: 1,
            limitMicros: 1000,
          }),
        ).toEqual({ applied: false, totalMicros: 1000 });
        expect(
          await store.debitSpend({
            workspaceId: newWorkspaceId(),
            period: '2025-03',
            amountMicros: 1,
            limitMicros: 0,
          }),
        ).toEqual({ applied: false, totalMicros: 0 });
      });

      it('overshoots by at most one debit under 200 concurrent debits', async () => {
        const w = newWorkspaceId();
        const results = await Promise.all(
          Array.from({ length: 200 }, () =>
            store.debitSpend({
              workspaceId: w,
              period: '2025-04',
              amountMicros: 7,
              limitMicros: 500,
            }),
          ),
        );
        const applied = results.filter((result) => result.applied).length;
        const total = await store.getSpend(w, '2025-04');
        expect(total).toBe(applied * 7);
        expect(total).toBeGreaterThanOrEqual(500);
        expect(total).toBeLessThanOrEqual(500 + 7);
        expect(applied).toBe(Math.ceil(500 / 7));
        for (const result of results) expect(result.totalMicros).toBeLessThanOrEqual(total);
      });

      it('never loses a forced debit under concurrency', async () => {
        const w = newWorkspaceId();
        await Promise.all(
          Array.from({ length: 100 }, () =>
            store.debitSpend({
              workspaceId: w,
              period: '2025-05',
              amountMicros: 3,
              limitMicros: 10,
              force: true,
            }),
          ),
        );
        expect(await store.getSpend(w, '2025-05')).toBe(300);
      });

      describe('debit ids (idempotent debits)', () => {
        const period = '2025-07';
        // Ids are made unique per workspace, so stores that keep data between tests stay isolated.
        const debitOf = (workspaceId: string, debitId: string, amountMicros = 100) => ({
          workspaceId,
          period,
          amountMicros,
          limitMicros: 1000,
          debitId: `${workspaceId}:${debitId}`,
        });
        const refOf = (workspaceId: string, debitId: string) => ({
          workspaceId,
          period,
          debitId: `${workspaceId}:${debitId}`,
        });

        it('applies a debit id at most once, also when 20 copies arrive at once', async () => {
          const w = newWorkspaceId();
          expect(await store.debitSpend(debitOf(w, 'req_once'))).toEqual({
            applied: true,
            totalMicros: 100,
          });
          expect(await store.debitSpend(debitOf(w, 'req_once'))).toEqual({
            applied: true,
            totalMicros: 100,
          });
          const copies = await Promise.all(
            Array.from({ length: 20 }, () => store.debitSpend(debitOf(w, 'req_burst', 7))),
          );
          for (const copy of copies) expect(copy.applied).toBe(true);
          expect(await store.getSpend(w, period)).toBe(107);
          // Forced debits are idempotent too; ids without a repeat still add up.
          await store.debitSpend({ ...debitOf(w, 'req_forced', 5), force: true });
          await store.debitSpend({ ...debitOf(w, 'req_forced', 5), force: true });
          await store.debitSpend(debitOf(w, 'req_other', 5));
          expect(await store.getSpend(w, period)).toBe(117);
        });

        it('voids an applied debit exactly once, and a voided id never applies again', async () => {
          expect(typeof store.voidDebit).toBe('function');
          const w = newWorkspaceId();
          await store.debitSpend(debitOf(w, 'req_keep', 40));
          await store.debitSpend(debitOf(w, 'req_void', 100));
          const ref = refOf(w, 'req_void');
          expect(await store.voidDebit!(ref)).toEqual({ voided: true, totalMicros: 40 });
          expect(await store.voidDebit!(ref)).toEqual({ voided: false, totalMicros: 40 });
          expect(await store.debitSpend(debitOf(w, 'req_void', 100))).toEqual({
            applied: false,
            totalMicros: 40,
          });
          expect(await store.getSpend(w, period)).toBe(40);
        });

        it('voiding an id first leaves a tombstone: the debit arriving late never applies', async () => {
          const w = newWorkspaceId();
          const ref = refOf(w, 'req_late');
          const [voided, late] = [
            await store.voidDebit!(ref),
            await store.debitSpend({ ...debitOf(w, 'req_late', 100), force: true }),
          ];
          expect(voided).toEqual({ voided: false, totalMicros: 0 });
          expect(late).toEqual({ applied: false, totalMicros: 0 });
          expect(await store.getSpend(w, period)).toBe(0);
        });

        it('settles debits racing their voids either way, never both, without deadlock', async () => {
          for (let round = 0; round < 5; round++) {
            const w = newWorkspaceId();
            const results = await Promise.all(
              Array.from({ length: 10 }, (_, i) =>
                i % 2 === round % 2
                  ? store.debitSpend(debitOf(w, 'req_race', 100))
                  : store.voidDebit!(refOf(w, 'req_race')),
              ),
            );
            const applied = results.some((r) => 'applied' in r && r.applied);
            const voided = results.filter((r) => 'voided' in r && r.voided).length;
            expect(voided).toBeLessThanOrEqual(1);
            expect(await store.getSpend(w, period)).toBe(applied && voided === 0 ? 100 : 0);
          }
        });

        it('does not remember a refused debit: a repeat decides again', async () => {
          const w = newWorkspaceId();
          await store.debitSpend({ workspaceId: w, period, amountMicros: 1000, limitMicros: null });
          expect(await store.debitSpend(debitOf(w, 'req_refused'))).toEqual({
            applied: false,
            totalMicros: 1000,
          });
          expect(
            await store.debitSpend({ ...debitOf(w, 'req_refused'), limitMicros: 5000 }),
          ).toEqual({ applied: true, totalMicros: 1100 });
        });

        it.each([[''], ['x'.repeat(201)], ['has space'], ['new\nline'], [42]])(
          'rejects the debit id %j',
          async (debitId) => {
            const w = newWorkspaceId();
            await expect(
              store.debitSpend({ ...debitOf(w, 'x'), debitId: debitId as string }),
            ).rejects.toThrow(/Debit id/);
            await expect(
              store.voidDebit!({ workspaceId: w, period, debitId: debitId as string }),
            ).rejects.toThrow(/Debit id/);
            expect(await store.getSpend(w, period)).toBe(0);
          },
        );
      });

      it.each([[0], [-5], [1.5], [Number.NaN]])('rejects the amount %s', async (amountMicros) => {
        await expect(
          store.debitSpend({
            workspaceId: newWorkspaceId(),
            period: '2025-06',
            amountMicros,
            limitMicros: null,
          }),
        ).rejects.toThrow();
      });
    });

    describe('request counts', () => {
      it('starts at zero (unknown workspace) and adds increments per workspace and per period', async () => {
        const w1 = newWorkspaceId();
        const w2 = newWorkspaceId();
        expect(await store.getRequestCount(w1, '2025-01')).toBe(0);
        await store.addRequestCounts([
          { workspaceId: w1, period: '2025-01', requests: 3 },
          { workspaceId: w2, period: '2025-01', requests: 1 },
          { workspaceId: w1, period: '2025-02', requests: 9 },
        ]);
        await store.addRequestCounts([{ workspaceId: w1, period: '2025-01', requests: 4 }]);
        expect(await store.getRequestCount(w1, '2025-01')).toBe(7);
        expect(await store.getRequestCount(w1, '2025-02')).toBe(9);
        expect(await store.getRequestCount(w2, '2025-01')).toBe(1);
        expect(await store.getRequestCount(w2, '2025-02')).toBe(0);
        expect(await store.getRequestCount(newWorkspaceId(), '2025-01')).toBe(0);
        await store.addRequestCounts([]);
        expect(await store.getRequestCount(w1, '2025-01')).toBe(7);
      });

      it('adds duplicate entries of one batch, and large counts exactly', async () => {
        const w = newWorkspaceId();
        await store.addRequestCounts([
          { workspaceId: w, period: '2025-03', requests: 2 },
          { workspaceId: w, period: '2025-03', requests: 5 },
        ]);
        expect(await store.getRequestCount(w, '2025-03')).toBe(7);
        await store.addRequestCounts([{ workspaceId: w, period: '2025-03', requests: 2 ** 40 }]);
        expect(await store.getRequestCount(w, '2025-03')).toBe(2 ** 40 + 7);
      });

      it('adds concurrent batches from several instances exactly', async () => {
        const workspaces = [newWorkspaceId(), newWorkspaceId(), newWorkspaceId()];
        // 8 "instances" flush 10 batches each, all at once, every batch touching every workspace,
        // half of them in the opposite order (a store must not deadlock on that).
        await Promise.all(
          Array.from({ length: 80 }, (_, i) => {
            const batch = workspaces.map((workspaceId, w) => ({
              workspaceId,
              period: '2025-04',
              requests: (i % 8) + w + 1,
            }));
            return store.addRequestCounts(i % 2 === 0 ? batch : batch.reverse());
          }),
        );
        const perRound = Array.from({ length: 8 }, (_, instance) => instance + 1).reduce(
          (a, b) => a + b,
          0,
        );
        for (const [w, workspaceId] of workspaces.entries()) {
          expect(await store.getRequestCount(workspaceId, '2025-04')).toBe(10 * (perRound + 8 * w));
        }
      });

      it.each([
        ['zero requests', { requests: 0 }],
        ['negative requests', { requests: -1 }],
        ['fractional requests', { requests: 1.5 }],
        ['NaN requests', { requests: Number.NaN }],
        ['unsafe integer requests', { requests: 2 ** 53 }],
        ['an empty workspace id', { workspaceId: '' }],
        ['a malformed period', { period: '2025-3' }],
        ['month 13', { period: '2025-13' }],
      ])('rejects a batch with %s, applying none of it', async (_label, override) => {
        const w = newWorkspaceId();
        const good = { workspaceId: w, period: '2025-05', requests: 1 };
        await expect(store.addRequestCounts([good, { ...good, ...override }])).rejects.toThrow();
        expect(await store.getRequestCount(w, '2025-05')).toBe(0);
      });

      it.each([['2025-00'], ['25-01'], ['2025-01-01'], ['']])(
        'rejects the period %j when reading',
        async (period) => {
          await expect(store.getRequestCount(newWorkspaceId(), period)).rejects.toThrow();
        },
      );
    });

    runUsageConformance(() => store);
  });
}
