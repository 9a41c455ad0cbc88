import { describe, expect, it, vi } from 'vitest';
import {
  MemoryKeyStore,
  MemoryRateLimiter,
  StoreUnavailableError,
  UsageBatcher,
  VerificationCache,
  type ApiKeyRecord,
  type SpendLedger,
} from '@claude-auth/core';
import { FailedAuthLimiter } from '../src/auth/failed-auth-limiter.js';
import { SpendSettler } from '../src/auth/spend-settler.js';
import { BoundedMap } from '../src/util/bounded-map.js';

type LogFn = (message: string, meta?: Record<string, unknown>) => void;
const logger = () => ({ warn: vi.fn<LogFn>(), error: vi.fn<LogFn>(), info: vi.fn<LogFn>() });

function record(id: string, hash: string): ApiKeyRecord {
  const at = new Date(0);
  return {
    id,
    name: id,
    hint: 'cla_…abcd',
    hash,
    previousHash: null,
    previousHashExpiresAt: null,
    kind: 'standard' as ApiKeyRecord['kind'],
    environment: 'live',
    workspaceId: null,
    permissions: [],
    status: 'active',
    createdAt: at,
    createdBy: null,
    updatedAt: at,
    lastUsedAt: null,
    expiresAt: null,
    rateLimit: null,
  };
}

describe('BoundedMap options', () => {
  it('onEvict sees every entry the map drops by itself, not explicit deletes', () => {
    const dropped: string[] = [];
    const map = new BoundedMap<string, number>(2, { onEvict: (key) => dropped.push(key) });
    map.set('a', 1).set('b', 2).set('c', 3);
    map.delete('b');
    expect(dropped).toStrictEqual(['a']);
    expect([...map.keys()]).toStrictEqual(['c']);
  });

  it('isStale entries go first when full, then the oldest live one', () => {
    const map = new BoundedMap<string, number>(3, { isStale: (value) => value < 0 });
    map.set('live1', 1).set('dead', -1).set('live2', 2).set('new', 3);
    expect([...map.keys()]).toStrictEqual(['live1', 'live2', 'new']);
    map.set('newer', 4);
    expect([...map.keys()]).toStrictEqual(['live2', 'new', 'newer']);
  });

  it('add refuses a new key when full of live entries, and never evicts', () => {
    const map = new BoundedMap<string, number>(2, { isStale: (value) => value < 0 });
    expect([map.add('a', 1), map.add('b', -1), map.add('c', 3)]).toStrictEqual([true, true, true]);
    expect(map.add('d', 4)).toBe(false);
    expect(map.add('a', 5)).toBe(true);
    expect([...map]).toStrictEqual([
      ['a', 5],
      ['c', 3],
    ]);
  });
});

describe('core maps stay bounded under a flood of distinct keys', () => {
  it('VerificationCache: entries and the revocation index stay at maxEntries', () => {
    const cache = new VerificationCache({ maxEntries: 100, ttlMs: 10_000, negativeTtlMs: 10_000 });
    for (let i = 0; i < 20_000; i++) {
      const hash = `h${i}`;
      cache.set(hash, i % 3 === 0 ? null : record(`key_${i}`, hash));
      expect(cache.stats().size).toBeLessThanOrEqual(100);
    }
    const stats = cache.stats();
    expect(stats.size).toBe(100);
    expect(stats.keyIds).toBeLessThanOrEqual(100);
    expect(stats.evictions).toBe(20_000 - 100);
    // The newest key is still cached and still revocable through the index.
    expect(cache.get('h19999')?.id).toBe('key_19999');
    cache.evictKey('key_19999');
    expect(cache.get('h19999')).toBeUndefined();
    expect(cache.stats().keyIds).toBeLessThan(stats.keyIds);
  });

  it('FailedAuthLimiter: addresses blocked by the shared limiter stay at 10 000', async () => {
    const start = 1_700_000_000_000;
    const shared = new MemoryRateLimiter({ now: () => start });
    const limiter = new FailedAuthLimiter({ maxPerMinute: 1, now: () => start, shared });
    for (let i = 0; i < 12_000; i++) {
      const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      limiter.record(address);
      limiter.record(address); // the second failure is over the shared limit: blocked
    }
    await limiter.flush();
    expect(limiter.blockedCount).toBe(10_000);
    // The newest blocks are kept.
    expect(limiter.check('10.0.46.223').allowed).toBe(false);
  });

  it('SpendSettler: pending debits stay at maxPending; the overflow is refused and logged', () => {
    const store = new MemoryKeyStore();
    const ledger: SpendLedger = {
      getSpend: (w, p) => store.getSpend(w, p),
      debitSpend: () => Promise.reject(new StoreUnavailableError('down')),
      voidDebit: () => Promise.reject(new StoreUnavailableError('down')),
    };
    const log = logger();
    const settler = new SpendSettler({ ledger, logger: log, retryMs: 60_000, maxPending: 50 });
    for (let i = 0; i < 5_000; i++) {
      settler.void({ workspaceId: 'w', period: '2025-01', debitId: `d${i}` });
    }
    expect(settler.pending).toBe(50);
    expect(log.error).toHaveBeenCalledTimes(5_000 - 50);
    void settler.close();
  });

  it('UsageBatcher: pending buckets stay at maxPending', async () => {
    const written: (readonly unknown[])[] = [];
    const store = {
      addUsage: (rows: readonly unknown[]) => (written.push(rows), Promise.resolve()),
    };
    const log = logger();
    const batcher = new UsageBatcher({
      store,
      maxPending: 10,
      logger: log,
      flushIntervalMs: 60_000,
    });
    for (let i = 0; i < 1_000; i++) {
      batcher.record({
        auth: { keyId: `key_${i}`, workspaceId: null },
        model: 'm',
        usage: { input_tokens: 1, output_tokens: 1 },
        costUsd: 0,
        streamed: false,
      } as never);
    }
    await batcher.flush();
    expect(written.flat()).toHaveLength(10);
    expect(log.warn).toHaveBeenCalledWith('claude-auth: usage buckets dropped (too many pending)', {
      replies: 990,
    });
    await batcher.close?.();
  });
});
