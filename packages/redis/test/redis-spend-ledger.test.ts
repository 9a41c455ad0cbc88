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
});
