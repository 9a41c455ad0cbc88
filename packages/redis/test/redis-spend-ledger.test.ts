import { MemoryKeyStore, StoreUnavailableError, type SpendLedger } from '@claude-auth/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, RedisSpendLedger, waitForRedis } from '../src/index.js';
import {
  adminClient,
  deletePrefix,
  randomPrefix,
  REDIS_AVAILABLE,
  REDIS_URL,
} from './redis-test-helpers.js';

const now = new Date();
const PERIOD = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
const NEXT_MONTH = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);

describe.skipIf(!REDIS_AVAILABLE)('RedisSpendLedger on real Redis', () => {
  let admin: Redis;
  let client: Redis;
  const prefixes: string[] = [];
  const ledger = (options: { durable?: SpendLedger } = {}) => {
    const prefix = randomPrefix('spend');
    prefixes.push(prefix);
    return new RedisSpendLedger({ client, prefix, ...options });
  };

  beforeAll(async () => {
    admin = adminClient();
    client = createRedisClient(REDIS_URL, { commandTimeoutMs: 2000 });
    await waitForRedis(client);
  });
  afterAll(async () => {
    for (const prefix of prefixes) await deletePrefix(admin, prefix);
    await client.quit();
    await admin.quit();
  });

  it.each([['alone'], ['with a durable store']])(
    'has KeyStore.debitSpend semantics (%s)',
    async (mode) => {
      const spend = ledger(mode === 'alone' ? {} : { durable: new MemoryKeyStore() });
      const debit = (amountMicros: number, force = false) =>
        spend.debitSpend({
          workspaceId: 'wrkspc_a',
          period: PERIOD,
          amountMicros,
          limitMicros: 1000,
          force,
        });
      expect(await debit(900)).toEqual({ applied: true, totalMicros: 900 });
      expect(await debit(300)).toEqual({ applied: true, totalMicros: 1200 });
      expect(await debit(1)).toEqual({ applied: false, totalMicros: 1200 });
      expect(await debit(50, true)).toEqual({ applied: true, totalMicros: 1250 });
      expect(await spend.getSpend('wrkspc_a', PERIOD)).toBe(1250);
      expect(await spend.getSpend('wrkspc_a', '2025-07')).toBe(0);
    },
  );

  it('is atomic under 200 concurrent debits: total <= limit + one debit', async () => {
    const durable = new MemoryKeyStore();
    const spend = ledger({ durable });
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        spend.debitSpend({
          workspaceId: 'wrkspc_r',
          period: PERIOD,
          amountMicros: 7_000,
          limitMicros: 1_000_000,
        }),
      ),
    );
    const applied = results.filter((r) => r.applied).length;
    const total = await spend.getSpend('wrkspc_r', PERIOD);
    expect(total).toBe(applied * 7_000);
    expect(total).toBeLessThanOrEqual(1_000_000 + 7_000);
    expect(total).toBeGreaterThanOrEqual(1_000_000);
    // Every acknowledged debit is in the system of record.
    expect(await durable.getSpend('wrkspc_r', PERIOD)).toBe(total);
  });

  it('re-seeds a vanished counter from the durable store, so a Redis restart cannot reopen a spent budget', async () => {
    const durable = new MemoryKeyStore();
    const spend = ledger({ durable });
    const debit = { workspaceId: 'wrkspc_s', period: PERIOD, amountMicros: 600, limitMicros: 1000 };
    await spend.debitSpend(debit);
    await spend.debitSpend(debit);
    await admin.unlink(spend.counterKey('wrkspc_s', PERIOD));
    expect(await spend.debitSpend(debit)).toEqual({ applied: false, totalMicros: 1200 });
    expect(await durable.getSpend('wrkspc_s', PERIOD)).toBe(1200);
  });

  it('expires counters: after the month alone, within resyncMs with a durable store', async () => {
    const alone = ledger();
    await alone.debitSpend({
      workspaceId: 'wrkspc_e',
      period: PERIOD,
      amountMicros: 1,
      limitMicros: null,
    });
    const expireAt = await admin.pexpiretime(alone.counterKey('wrkspc_e', PERIOD));
    expect(expireAt).toBeGreaterThan(NEXT_MONTH);
    const backed = ledger({ durable: new MemoryKeyStore() });
    await backed.debitSpend({
      workspaceId: 'wrkspc_e',
      period: '2099-06',
      amountMicros: 1,
      limitMicros: null,
    });
    const ttl = await admin.pttl(backed.counterKey('wrkspc_e', '2099-06'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('does not acknowledge a debit the durable store refused, and rolls Redis back', async () => {
    const durable: SpendLedger = {
      getSpend: async () => 0,
      debitSpend: async () => {
        throw new StoreUnavailableError('durable down');
      },
    };
    const spend = ledger({ durable });
    await expect(
      spend.debitSpend({
        workspaceId: 'wrkspc_d',
        period: PERIOD,
        amountMicros: 5,
        limitMicros: null,
      }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await admin.get(spend.counterKey('wrkspc_d', PERIOD))).toBe('0');
  });

  it.each([['alone'], ['with a durable store']])(
    'applies a debit id at most once and voids it (%s)',
    async (mode) => {
      const durable = mode === 'alone' ? undefined : new MemoryKeyStore();
      const spend = ledger(durable ? { durable } : {});
      const w = 'wrkspc_id';
      const debit = (debitId: string, amountMicros = 100) =>
        spend.debitSpend({
          workspaceId: w,
          period: PERIOD,
          amountMicros,
          limitMicros: 1000,
          debitId,
        });
      expect(await debit('req_1')).toEqual({ applied: true, totalMicros: 100 });
      expect(await debit('req_1')).toEqual({ applied: true, totalMicros: 100 });
      const burst = await Promise.all(Array.from({ length: 20 }, () => debit('req_2', 7)));
      for (const result of burst) expect(result.applied).toBe(true);
      expect(await spend.getSpend(w, PERIOD)).toBe(107);

      const ref = { workspaceId: w, period: PERIOD, debitId: 'req_1' };
      expect(await spend.voidDebit(ref)).toEqual({ voided: true, totalMicros: 7 });
      expect(await spend.voidDebit(ref)).toEqual({ voided: false, totalMicros: 7 });
      expect(await debit('req_1')).toEqual({ applied: false, totalMicros: 7 });
      // A void that arrives first leaves a tombstone.
      await spend.voidDebit({ ...ref, debitId: 'req_3' });
      expect((await debit('req_3')).applied).toBe(false);
      expect(await spend.getSpend(w, PERIOD)).toBe(7);
      if (durable) expect(await durable.getSpend(w, PERIOD)).toBe(7);
    },
  );

  it('lets the durable tombstone win when Redis lost the marker (e.g. after a restart)', async () => {
    const durable = new MemoryKeyStore();
    const spend = ledger({ durable });
    const ref = { workspaceId: 'wrkspc_t', period: PERIOD, debitId: 'req_tomb' };
    await durable.debitSpend({ ...ref, amountMicros: 10, limitMicros: null });
    await durable.voidDebit({ ...ref, debitId: 'req_gone' });
    const late = await spend.debitSpend({
      ...ref,
      debitId: 'req_gone',
      amountMicros: 500,
      limitMicros: null,
      force: true,
    });
    expect(late).toEqual({ applied: false, totalMicros: 10 });
    expect(await admin.get(spend.counterKey('wrkspc_t', PERIOD))).toBe('10');
    expect(await durable.getSpend('wrkspc_t', PERIOD)).toBe(10);
  });

  it('forgets the id of an admission the durable store refused, so a retry applies exactly once', async () => {
    const store = new MemoryKeyStore();
    let down = true;
    const durable: SpendLedger = {
      getSpend: (w, p) => store.getSpend(w, p),
      debitSpend: async (debit) => {
        if (down) throw new StoreUnavailableError('durable down');
        return store.debitSpend(debit);
      },
      voidDebit: (ref) => store.voidDebit(ref),
    };
    const spend = ledger({ durable });
    const debit = {
      workspaceId: 'wrkspc_u',
      period: PERIOD,
      amountMicros: 5,
      limitMicros: null,
      debitId: 'req_retry',
    };
    await expect(spend.debitSpend(debit)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await admin.get(spend.counterKey('wrkspc_u', PERIOD))).toBe('0');
    down = false;
    expect(await spend.debitSpend(debit)).toEqual({ applied: true, totalMicros: 5 });
    expect(await spend.debitSpend(debit)).toEqual({ applied: true, totalMicros: 5 });
    expect(await store.getSpend('wrkspc_u', PERIOD)).toBe(5);
  });

  it.each([
    ['a zero amount', { amountMicros: 0, period: PERIOD }],
    ['a malformed period', { amountMicros: 1, period: '25-6' }],
  ])('rejects %s', async (_label, fields) => {
    await expect(
      ledger().debitSpend({ workspaceId: 'w', limitMicros: null, ...fields }),
    ).rejects.toThrow();
  });
});
