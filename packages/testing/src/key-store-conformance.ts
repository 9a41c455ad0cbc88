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
import {
  STORE_ERROR_CODES,
  isStoreError,
  type StoreError,
  type StoreErrorReason,
} from '@claude-auth/core/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectInvalidRequest } from './store-assertions.js';
import { spendLedgerCases } from './spend-ledger-conformance.js';

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
 * Asserts that `promise` rejects with a typed store error of `reason` (`isStoreError`, which also
 * recognises errors from another copy of core) carrying that reason's stable code.
 *
 * @example
 * ```ts
 * await expectStoreError(store.createKey(existing), 'duplicate');
 * ```
 */
export async function expectStoreError(
  promise: Promise<unknown>,
  reason: StoreErrorReason,
): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error, `expected a rejection with a ${reason} store error`).toBeInstanceOf(Error);
  expect(isStoreError(error, reason), `${String(error)} is a ${reason} store error`).toBe(true);
  expect((error as StoreError).code).toBe(STORE_ERROR_CODES[reason]);
  return error as StoreError;
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
        await expectStoreError(store.createKey(sampleKeyRecord({ id: original.id })), 'duplicate');
        await expectStoreError(
          store.createKey(sampleKeyRecord({ hash: original.hash })),
          'duplicate',
        );
        expectSameKey(await store.getKey(original.id), original);
        expect((await store.listKeys()).data).toHaveLength(1);
      });

      it('rejects a key naming a missing workspace (not_found); an archived one still exists', async () => {
        const error = await expectStoreError(
          store.createKey(sampleKeyRecord({ workspaceId: newWorkspaceId() })),
          'not_found',
        );
        expect(error.message).toMatch(/workspace/);
        expect((await store.listKeys()).data).toHaveLength(0);
        const workspace = sampleWorkspaceRecord();
        await store.createWorkspace(workspace);
        await store.archiveWorkspace(workspace.id, at(1));
        const inArchived = sampleKeyRecord({ workspaceId: workspace.id });
        await store.createKey(inArchived);
        expectSameKey(await store.getKey(inArchived.id), inArchived);
      });

      it('a missing record is not an error when read, updated, deleted or archived', async () => {
        expect(await store.getKey(newKeyId())).toBeNull();
        expect(await store.updateKey(newKeyId(), { name: 'x' })).toBeNull();
        expect(await store.deleteKey(newKeyId())).toBe(false);
        expect(await store.getWorkspace(newWorkspaceId())).toBeNull();
        expect(await store.updateWorkspace(newWorkspaceId(), { name: 'x' })).toBeNull();
        expect(await store.archiveWorkspace(newWorkspaceId(), at(1))).toBeNull();
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

      it('refuses to give a key a hash another key holds (duplicate), changing neither', async () => {
        const first = sampleKeyRecord();
        const second = sampleKeyRecord();
        await store.createKey(first);
        await store.createKey(second);
        await expectStoreError(store.updateKey(second.id, { hash: first.hash }), 'duplicate');
        expectSameKey(await store.getKey(first.id), first);
        expectSameKey(await store.getKey(second.id), second);
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
        await expectInvalidRequest(store.listKeys({ limit: 0 }));
        await expectInvalidRequest(store.listKeys({ limit: 1001 }));
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
        await expectStoreError(
          store.createWorkspace(sampleWorkspaceRecord({ id: workspace.id })),
          'duplicate',
        );
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

    describe('spend', () => spendLedgerCases(() => store));

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
        await expectInvalidRequest(store.addRequestCounts([good, { ...good, ...override }]));
        expect(await store.getRequestCount(w, '2025-05')).toBe(0);
      });

      it.each([['2025-00'], ['25-01'], ['2025-01-01'], ['']])(
        'rejects the period %j when reading',
        async (period) => {
          await expectInvalidRequest(store.getRequestCount(newWorkspaceId(), period));
        },
      );
    });

    runUsageConformance(() => store);
  });
}
