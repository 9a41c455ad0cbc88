import { describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  InvalidRequestError,
  NotFoundError,
} from '../src/errors/claude-auth-error.js';
import { hashKey } from '../src/keys/hash.js';
import { KEY_ID_PATTERN, WORKSPACE_ID_PATTERN } from '../src/keys/ids.js';
import { KEY_REGEX, parseApiKey } from '../src/keys/key-format.js';
import { KeyManager, type KeyManagerOptions } from '../src/manager/key-manager.js';
import { LocalInvalidationBus, type KeyInvalidation } from '../src/store/invalidation-bus.js';
import { MemoryKeyStore } from '../src/store/memory-key-store.js';

const T0 = new Date('2025-03-10T09:00:00.000Z');

function setup(options: Partial<KeyManagerOptions> = {}) {
  let now = T0.getTime();
  const clock = {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
  const store = new MemoryKeyStore({ now: clock.now });
  const bus = new LocalInvalidationBus();
  const events: string[] = [];
  bus.subscribe((event: KeyInvalidation) =>
    events.push(event.keyId ?? `workspace:${event.workspaceId ?? '?'}`),
  );
  const keys = new KeyManager({
    store,
    invalidation: bus,
    now: clock.now,
    usageFlushIntervalMs: 0,
    ...options,
  });
  return { keys, store, clock, events };
}

describe('KeyManager: creating keys', () => {
  it('creates a key whose secret is shown once and never stored', async () => {
    const { keys, store } = setup();
    const { secret, key } = await keys.createKey({
      name: '  Production  ',
      permissions: ['messages:write'],
      createdBy: 'ana',
    });
    expect(secret).toMatch(KEY_REGEX);
    expect(parseApiKey(secret)).toEqual({ issuer: 'cla', kind: 'api', environment: 'live' });
    expect(key).toMatchObject({
      name: 'Production',
      kind: 'api',
      environment: 'live',
      workspaceId: null,
      permissions: ['messages:write'],
      status: 'active',
      createdBy: 'ana',
      lastUsedAt: null,
      expiresAt: null,
      rateLimit: null,
      hint: `cla_api_live_…${secret.slice(-4)}`,
    });
    expect(key.id).toMatch(KEY_ID_PATTERN);
    expect(key.createdAt).toEqual(T0);
    expect(key).not.toHaveProperty('hash');
    expect(key).not.toHaveProperty('previousHash');
    const stored = await store.getKey(key.id);
    expect(stored?.hash).toBe(hashKey(secret));
    expect(JSON.stringify(stored)).not.toContain(secret.slice(13, -4));
    expect(JSON.stringify(await keys.getKey(key.id))).not.toContain(secret.slice(13, -4));
  });

  it('honours kind, environment, issuer and expiry', async () => {
    const { keys } = setup({ issuer: 'acme', environment: 'test' });
    const expiresAt = new Date(T0.getTime() + 3_600_000);
    const { secret, key } = await keys.createKey({ name: 'Admin', kind: 'admin', expiresAt });
    expect(secret.startsWith('acme_admin_test_')).toBe(true);
    expect(key.expiresAt).toEqual(expiresAt);
    const other = await keys.createKey({ name: 'Staging', environment: 'staging' });
    expect(other.secret.startsWith('acme_api_staging_')).toBe(true);
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a blank name', { name: '   ' }],
    ['a name over 256 characters', { name: 'x'.repeat(257) }],
    ['a non-string name', { name: 42 as unknown as string }],
    ['a name with control characters', { name: 'a\u0000b' }],
    ['an unknown workspace', { name: 'k', workspaceId: 'wrkspc_000000000000000000000000' }],
    ['a permission with spaces', { name: 'k', permissions: ['messages write'] }],
    ['an upper-case permission', { name: 'k', permissions: ['Messages:write'] }],
    ['an empty permission', { name: 'k', permissions: [''] }],
    ['a non-string permission', { name: 'k', permissions: [1 as unknown as string] }],
    [
      'permissions that are not an array',
      { name: 'k', permissions: 'admin' as unknown as string[] },
    ],
    [
      'too many permissions',
      { name: 'k', permissions: Array.from({ length: 101 }, (_, i) => `p${i}`) },
    ],
    ['an unknown kind', { name: 'k', kind: 'root' as never }],
    ['a bad environment', { name: 'k', environment: 'Prod' }],
    ['expiresAt in the past', { name: 'k', expiresAt: new Date(T0.getTime() - 1) }],
    ['expiresAt now', { name: 'k', expiresAt: new Date(T0.getTime()) }],
    ['an invalid expiresAt', { name: 'k', expiresAt: new Date('nope') }],
    ['a zero rpm', { name: 'k', rateLimit: { rpm: 0 } }],
    ['a fractional burst', { name: 'k', rateLimit: { rpm: 10, burst: 1.5 } }],
  ])('rejects %s with an InvalidRequestError', async (_label, input) => {
    const { keys, store } = setup();
    await expect(keys.createKey(input)).rejects.toBeInstanceOf(InvalidRequestError);
    expect((await store.listKeys()).data).toHaveLength(0);
  });

  it('accepts a name of exactly 256 characters and de-duplicates permissions', async () => {
    const { keys } = setup();
    const { key } = await keys.createKey({
      name: 'x'.repeat(256),
      permissions: ['*', 'a:b', 'a:b'],
    });
    expect(key.name).toHaveLength(256);
    expect(key.permissions).toEqual(['*', 'a:b']);
  });

  it('rejects keys in an archived workspace', async () => {
    const { keys } = setup();
    const workspace = await keys.createWorkspace({ name: 'Old' });
    await keys.archiveWorkspace(workspace.id);
    await expect(keys.createKey({ name: 'k', workspaceId: workspace.id })).rejects.toThrow(
      /archived workspace/,
    );
  });

  it('throws a ConfigurationError for a bad issuer or environment option', () => {
    expect(() => new KeyManager({ store: new MemoryKeyStore(), issuer: 'X' })).toThrow(
      ConfigurationError,
    );
    expect(() => new KeyManager({ store: new MemoryKeyStore(), environment: '' })).toThrow(
      ConfigurationError,
    );
  });
});

describe('KeyManager: reading and changing keys', () => {
  it.each([
    ['getKey', (k: KeyManager) => k.getKey('key_missing')],
    ['renameKey', (k: KeyManager) => k.renameKey('key_missing', 'x')],
    ['setKeyStatus', (k: KeyManager) => k.setKeyStatus('key_missing', 'inactive')],
    ['archiveKey', (k: KeyManager) => k.archiveKey('key_missing')],
    ['deleteKey', (k: KeyManager) => k.deleteKey('key_missing')],
    ['regenerateKey', (k: KeyManager) => k.regenerateKey('key_missing')],
    ['setKeyRateLimit', (k: KeyManager) => k.setKeyRateLimit('key_missing', null)],
    ['getWorkspace', (k: KeyManager) => k.getWorkspace('wrkspc_missing')],
    ['archiveWorkspace', (k: KeyManager) => k.archiveWorkspace('wrkspc_missing')],
    ['renameWorkspace', (k: KeyManager) => k.renameWorkspace('wrkspc_missing', 'x')],
    ['getWorkspaceUsage', (k: KeyManager) => k.getWorkspaceUsage('wrkspc_missing')],
  ])('%s throws NotFoundError for an unknown id', async (_name, call) => {
    const { keys } = setup();
    await expect(call(keys)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('never echoes the id it was given (it might be a pasted secret)', async () => {
    const { keys } = setup();
    const { secret } = await keys.createKey({ name: 'k' });
    await expect(keys.getKey(secret)).rejects.toSatisfy(
      (error: Error) => !error.message.includes(secret.slice(13)),
    );
  });

  it('renames, deactivates, reactivates and archives, publishing invalidations', async () => {
    const { keys, clock, events } = setup();
    const { key } = await keys.createKey({ name: 'k' });
    clock.advance(1000);
    expect((await keys.renameKey(key.id, 'renamed')).name).toBe('renamed');
    expect((await keys.setKeyStatus(key.id, 'inactive')).status).toBe('inactive');
    expect((await keys.setKeyStatus(key.id, 'active')).status).toBe('active');
    const archived = await keys.archiveKey(key.id);
    expect(archived.status).toBe('archived');
    expect(archived.updatedAt).toEqual(clock.now());
    expect(events.filter((id) => id === key.id).length).toBeGreaterThanOrEqual(3);
    await expect(keys.setKeyStatus(key.id, 'active')).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(keys.regenerateKey(key.id)).rejects.toBeInstanceOf(InvalidRequestError);
    // Archiving twice is a no-op.
    expect((await keys.archiveKey(key.id)).status).toBe('archived');
  });

  it('publishes { keyId } on deactivate, archive, delete and regenerate', async () => {
    const { keys, events } = setup();
    const a = (await keys.createKey({ name: 'a' })).key.id;
    const b = (await keys.createKey({ name: 'b' })).key.id;
    const c = (await keys.createKey({ name: 'c' })).key.id;
    const d = (await keys.createKey({ name: 'd' })).key.id;
    expect(events).toEqual([]);
    await keys.setKeyStatus(a, 'inactive');
    await keys.archiveKey(b);
    await keys.deleteKey(c);
    await keys.regenerateKey(d);
    expect(events).toEqual([a, b, c, d]);
    await expect(keys.getKey(c)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('still succeeds when the invalidation bus fails, and logs without key material', async () => {
    const warn = vi.fn();
    const store = new MemoryKeyStore();
    const keys = new KeyManager({
      store,
      logger: { warn, error: vi.fn() },
      invalidation: {
        publish: () => Promise.reject(new Error('redis down')),
        subscribe: () => () => undefined,
      },
    });
    const { key, secret } = await keys.createKey({ name: 'k' });
    expect((await keys.archiveKey(key.id)).status).toBe('archived');
    expect(warn).toHaveBeenCalledOnce();
    expect(JSON.stringify(warn.mock.calls)).not.toContain(secret.slice(13));
  });

  it('derives expired from expiresAt without writing it', async () => {
    const { keys, clock, store } = setup();
    const { key } = await keys.createKey({ name: 'k', expiresAt: new Date(T0.getTime() + 60_000) });
    expect((await keys.getKey(key.id)).status).toBe('active');
    clock.advance(60_000);
    expect((await keys.getKey(key.id)).status).toBe('expired');
    expect((await store.getKey(key.id))?.status).toBe('active');
    await keys.setKeyStatus(key.id, 'inactive');
    expect((await keys.getKey(key.id)).status).toBe('expired');
    await keys.archiveKey(key.id);
    expect((await keys.getKey(key.id)).status).toBe('archived');
  });

  it('lists keys by derived status across store pages', async () => {
    const { keys, clock } = setup();
    const expiring: string[] = [];
    const live: string[] = [];
    for (let i = 0; i < 6; i++) {
      clock.advance(1);
      const { key } = await keys.createKey({
        name: `k${i}`,
        expiresAt: i % 2 === 0 ? new Date(clock.now().getTime() + 10_000) : null,
      });
      (i % 2 === 0 ? expiring : live).push(key.id);
    }
    const inactive = (await keys.createKey({ name: 'off' })).key.id;
    await keys.setKeyStatus(inactive, 'inactive');
    clock.advance(20_000);

    const collect = async (status: 'active' | 'expired' | 'inactive' | 'archived') => {
      const ids: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await keys.listKeys({ status, limit: 2, after });
        ids.push(...page.data.map((view) => view.id));
        for (const view of page.data) expect(view.status).toBe(status);
        if (!page.hasMore) return ids;
        after = page.nextCursor!;
      }
    };
    expect((await collect('expired')).sort()).toEqual([...expiring].sort());
    expect((await collect('active')).sort()).toEqual([...live].sort());
    expect(await collect('inactive')).toEqual([inactive]);
    expect(await collect('archived')).toEqual([]);
    expect((await keys.listKeys()).data).toHaveLength(7);
    await expect(keys.listKeys({ status: 'bogus' as never })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('sets and clears a key rate limit, permissions and expiry', async () => {
    const { keys } = setup();
    const { key } = await keys.createKey({ name: 'k' });
    expect((await keys.setKeyRateLimit(key.id, { rpm: 60, burst: 5 })).rateLimit).toEqual({
      rpm: 60,
      burst: 5,
    });
    expect((await keys.setKeyRateLimit(key.id, null)).rateLimit).toBeNull();
    await expect(keys.setKeyRateLimit(key.id, { rpm: -1 })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect((await keys.setKeyPermissions(key.id, ['models:read'])).permissions).toEqual([
      'models:read',
    ]);
    await expect(keys.setKeyExpiry(key.id, new Date(0))).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });
});

describe('KeyManager: regenerate and verify', () => {
  it('regenerates with the same id, metadata and limits; the old secret stops at once by default', async () => {
    const { keys, clock } = setup();
    const created = await keys.createKey({ name: 'k', permissions: ['a'], rateLimit: { rpm: 7 } });
    clock.advance(5000);
    const regenerated = await keys.regenerateKey(created.key.id);
    expect(regenerated.secret).not.toBe(created.secret);
    expect(regenerated.key).toMatchObject({
      id: created.key.id,
      name: 'k',
      permissions: ['a'],
      rateLimit: { rpm: 7 },
    });
    expect(regenerated.key.hint).toBe(`cla_api_live_…${regenerated.secret.slice(-4)}`);
    expect(await keys.verifySecret(created.secret)).toBeNull();
    expect((await keys.verifySecret(regenerated.secret))?.id).toBe(created.key.id);
  });

  it('keeps the old secret working for the grace period only', async () => {
    const { keys, clock } = setup();
    const created = await keys.createKey({ name: 'k' });
    const regenerated = await keys.regenerateKey(created.key.id, { graceMs: 60_000 });
    expect((await keys.verifySecret(created.secret))?.id).toBe(created.key.id);
    clock.advance(59_999);
    expect((await keys.verifySecret(created.secret))?.id).toBe(created.key.id);
    clock.advance(1);
    expect(await keys.verifySecret(created.secret)).toBeNull();
    expect((await keys.verifySecret(regenerated.secret))?.id).toBe(created.key.id);
  });

  it('archiving ends a grace period', async () => {
    const { keys } = setup();
    const created = await keys.createKey({ name: 'k' });
    await keys.regenerateKey(created.key.id, { graceMs: 60_000 });
    await keys.archiveKey(created.key.id);
    expect(await keys.verifySecret(created.secret)).toBeNull();
  });

  it.each([[-1], [1.5], [31 * 86_400_000], [Number.NaN]])('rejects graceMs %s', async (graceMs) => {
    const { keys } = setup();
    const { key } = await keys.createKey({ name: 'k' });
    await expect(keys.regenerateKey(key.id, { graceMs })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('returns the record (status not judged) for a known secret, null for unknown ones', async () => {
    const { keys } = setup();
    const { secret, key } = await keys.createKey({ name: 'k' });
    await keys.setKeyStatus(key.id, 'inactive');
    expect((await keys.verifySecret(secret))?.status).toBe('inactive');
    const other = new KeyManager({ store: new MemoryKeyStore() });
    const unknown = (await other.createKey({ name: 'x' })).secret;
    expect(await keys.verifySecret(unknown)).toBeNull();
  });

  it.each([
    ['bad checksum', (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A')],
    ['truncated', (s: string) => s.slice(0, -1)],
    ['empty', () => ''],
    ['garbage', () => 'not a key'],
  ])('refuses a %s secret without calling the store', async (_label, mutate) => {
    const store = new MemoryKeyStore();
    const keys = new KeyManager({ store });
    const { secret } = await keys.createKey({ name: 'k' });
    const spy = vi.spyOn(store, 'findKeyByHash');
    expect(await keys.verifySecret(mutate(secret))).toBeNull();
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('KeyManager: usage (last_used_at)', () => {
  it('batches writes: at most one store write per key per minute, monotonic, flushed on close', async () => {
    const { keys, store, clock } = setup();
    const a = (await keys.createKey({ name: 'a' })).key.id;
    const b = (await keys.createKey({ name: 'b' })).key.id;
    const touch = vi.spyOn(store, 'touchKeys');

    for (let i = 0; i < 100; i++) keys.recordUsage(a, new Date(T0.getTime() + i));
    keys.recordUsage(b, new Date(T0.getTime() + 50));
    expect(touch).not.toHaveBeenCalled();
    await keys.flushUsage();
    expect(touch).toHaveBeenCalledTimes(1);
    expect(touch.mock.calls[0]![0]).toHaveLength(2);
    expect((await keys.getKey(a)).lastUsedAt).toEqual(new Date(T0.getTime() + 99));

    // Within the minute: recorded but not written.
    clock.advance(30_000);
    keys.recordUsage(a, clock.now());
    await keys.flushUsage();
    expect(touch).toHaveBeenCalledTimes(1);
    expect((await keys.getKey(a)).lastUsedAt).toEqual(new Date(T0.getTime() + 99));

    // An older timestamp never moves it back.
    keys.recordUsage(b, new Date(T0.getTime()));
    clock.advance(30_000);
    await keys.flushUsage();
    expect(touch).toHaveBeenCalledTimes(2);
    expect(touch.mock.calls[1]![0].map((u) => u.id)).toEqual([a]);
    expect((await keys.getKey(a)).lastUsedAt).toEqual(new Date(T0.getTime() + 30_000));
    expect((await keys.getKey(b)).lastUsedAt).toEqual(new Date(T0.getTime() + 50));

    // close() writes whatever is pending, throttled or not.
    clock.advance(1000);
    keys.recordUsage(a, clock.now());
    await keys.close();
    expect(touch).toHaveBeenCalledTimes(3);
    expect((await keys.getKey(a)).lastUsedAt).toEqual(clock.now());
  });

  it('keeps usage pending when the store fails, and writes it later', async () => {
    const { keys, store } = setup();
    const a = (await keys.createKey({ name: 'a' })).key.id;
    const touch = vi.spyOn(store, 'touchKeys').mockRejectedValueOnce(new Error('down'));
    keys.recordUsage(a, new Date(T0.getTime() + 5));
    await expect(keys.flushUsage()).rejects.toThrow('down');
    await keys.flushUsage();
    expect(touch).toHaveBeenCalledTimes(2);
    expect((await keys.getKey(a)).lastUsedAt).toEqual(new Date(T0.getTime() + 5));
  });

  it('flushes in the background on a timer that does not keep the process alive', async () => {
    vi.useFakeTimers();
    try {
      const store = new MemoryKeyStore();
      const keys = new KeyManager({ store, usageFlushIntervalMs: 1000 });
      const { key } = await keys.createKey({ name: 'a' });
      const at = new Date();
      keys.recordUsage(key.id, at);
      await vi.advanceTimersByTimeAsync(1000);
      expect((await store.getKey(key.id))?.lastUsedAt).toEqual(at);
      await keys.close();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('KeyManager: workspaces', () => {
  it('creates, renames, limits and lists workspaces', async () => {
    const { keys, clock } = setup();
    const workspace = await keys.createWorkspace({
      name: 'Research',
      monthlySpendLimitUsd: 12.5,
      rateLimit: { rpm: 100 },
    });
    expect(workspace.id).toMatch(WORKSPACE_ID_PATTERN);
    expect(workspace).toMatchObject({
      name: 'Research',
      status: 'active',
      monthlySpendLimitMicros: 12_500_000,
      rateLimit: { rpm: 100 },
    });
    expect((await keys.renameWorkspace(workspace.id, 'R&D')).name).toBe('R&D');
    expect(
      (await keys.setWorkspaceSpendLimit(workspace.id, null)).monthlySpendLimitMicros,
    ).toBeNull();
    expect(
      (await keys.setWorkspaceRateLimit(workspace.id, { rpm: 5, burst: 1 })).rateLimit,
    ).toEqual({ rpm: 5, burst: 1 });
    clock.advance(1);
    const second = await keys.createWorkspace({ name: 'Ops' });
    expect((await keys.listWorkspaces()).data.map((w) => w.id)).toEqual([second.id, workspace.id]);
    expect(await keys.getWorkspace(workspace.id)).toMatchObject({ name: 'R&D' });
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a negative limit', { name: 'w', monthlySpendLimitUsd: -1 }],
    ['an infinite limit', { name: 'w', monthlySpendLimitUsd: Number.POSITIVE_INFINITY }],
    ['a bad rate limit', { name: 'w', rateLimit: { rpm: 0 } }],
  ])('rejects a workspace with %s', async (_label, input) => {
    const { keys } = setup();
    await expect(keys.createWorkspace(input)).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('archiving a workspace archives its keys and publishes an invalidation for each, and the workspace', async () => {
    const { keys, events } = setup();
    const workspace = await keys.createWorkspace({ name: 'W' });
    const inside = await keys.createKey({ name: 'in', workspaceId: workspace.id });
    const inside2 = await keys.createKey({ name: 'in2', workspaceId: workspace.id });
    const outside = await keys.createKey({ name: 'org' });
    const archived = await keys.archiveWorkspace(workspace.id);
    expect(archived.status).toBe('archived');
    expect(archived.archivedAt).toEqual(T0);
    expect([...events].sort()).toEqual(
      [inside.key.id, inside2.key.id, `workspace:${workspace.id}`].sort(),
    );
    expect((await keys.getKey(inside.key.id)).status).toBe('archived');
    expect((await keys.getKey(outside.key.id)).status).toBe('active');
    await expect(keys.renameWorkspace(workspace.id, 'again')).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect((await keys.listWorkspaces()).data).toHaveLength(0);
  });

  it('reports monthly usage in micro-dollars and USD', async () => {
    const { keys, store } = setup();
    const workspace = await keys.createWorkspace({ name: 'W', monthlySpendLimitUsd: 10 });
    await store.debitSpend({
      workspaceId: workspace.id,
      period: '2025-03',
      amountMicros: 2_500_000,
      limitMicros: null,
    });
    await store.debitSpend({
      workspaceId: workspace.id,
      period: '2025-02',
      amountMicros: 1,
      limitMicros: null,
    });
    expect(await keys.getWorkspaceUsage(workspace.id)).toEqual({
      workspaceId: workspace.id,
      period: '2025-03',
      spentMicros: 2_500_000,
      limitMicros: 10_000_000,
      spentUsd: 2.5,
      limitUsd: 10,
      requests: 0,
    });
    expect(
      (await keys.getWorkspaceUsage(workspace.id, new Date('2025-02-28T23:59:59Z'))).spentMicros,
    ).toBe(1);
  });

  it("reports requests this month: the store count (every instance) plus this process's unwritten count", async () => {
    const { keys, store, clock } = setup();
    const workspace = await keys.createWorkspace({ name: 'W' });
    const { key } = await keys.createKey({ name: 'k', workspaceId: workspace.id });
    // Another instance has already flushed 40 requests this month and 7 last month.
    await store.addRequestCounts([
      { workspaceId: workspace.id, period: '2025-03', requests: 40 },
      { workspaceId: workspace.id, period: '2025-02', requests: 7 },
    ]);
    const add = vi.spyOn(store, 'addRequestCounts');
    for (let i = 0; i < 5; i++) keys.recordUsage(key.id, clock.now(), workspace.id);
    keys.recordUsage(key.id, clock.now(), null);
    expect(add).not.toHaveBeenCalled();
    expect((await keys.getWorkspaceUsage(workspace.id)).requests).toBe(45);
    await keys.flushUsage();
    expect(add).toHaveBeenCalledTimes(1);
    expect(await store.getRequestCount(workspace.id, '2025-03')).toBe(45);
    expect((await keys.getWorkspaceUsage(workspace.id)).requests).toBe(45);
    expect(
      (await keys.getWorkspaceUsage(workspace.id, new Date('2025-02-01T00:00:00Z'))).requests,
    ).toBe(7);

    // A new UTC month starts from zero.
    clock.advance(30 * 86_400_000);
    keys.recordUsage(key.id, clock.now(), workspace.id);
    expect(await keys.getWorkspaceUsage(workspace.id)).toMatchObject({
      period: '2025-04',
      requests: 1,
    });
    await keys.close();
    expect(await store.getRequestCount(workspace.id, '2025-04')).toBe(1);
  });

  it('keeps request counts while the store is down and writes them once it is back', async () => {
    const { keys, store, clock } = setup();
    const workspace = await keys.createWorkspace({ name: 'W' });
    const add = vi.spyOn(store, 'addRequestCounts').mockRejectedValueOnce(new Error('down'));
    keys.recordUsage('key_x', clock.now(), workspace.id);
    await expect(keys.flushUsage()).rejects.toThrow('down');
    expect((await keys.getWorkspaceUsage(workspace.id)).requests).toBe(1);
    keys.recordUsage('key_x', clock.now(), workspace.id);
    await keys.flushUsage();
    expect(add).toHaveBeenCalledTimes(2);
    expect(await store.getRequestCount(workspace.id, '2025-03')).toBe(2);
  });

  it('surfaces store failures unchanged', async () => {
    const failing = new MemoryKeyStore();
    const keys = new KeyManager({ store: failing });
    vi.spyOn(failing, 'getKey').mockRejectedValue(new Error('store down'));
    await expect(keys.getKey('key_x')).rejects.toThrow('store down');
  });
});
