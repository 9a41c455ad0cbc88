import { MemoryKeyStore, StoreUnavailableError, type SpendLedger } from '@claude-auth/core';
import { describe, expect, it, vi } from 'vitest';
import { SpendSettler } from '../src/auth/spend-settler.js';
import { debitIdFor, splitNanos, usdToNanos } from '../src/auth/spend-units.js';

type LogFn = (message: string, meta?: Record<string, unknown>) => void;
const logger = () => ({ warn: vi.fn<LogFn>(), error: vi.fn<LogFn>(), info: vi.fn<LogFn>() });

describe('SpendSettler', () => {
  it('keeps trying until the ledger answers, then voids and redoes each debit once', async () => {
    const store = new MemoryKeyStore();
    let down = true;
    const gate = async <T>(fn: () => Promise<T>): Promise<T> => {
      if (down) throw new StoreUnavailableError('down');
      return fn();
    };
    const ledger: SpendLedger = {
      getSpend: (w, p) => store.getSpend(w, p),
      debitSpend: (d) => gate(() => store.debitSpend(d)),
      voidDebit: (r) => gate(() => store.voidDebit(r)),
    };
    await store.debitSpend({
      workspaceId: 'w',
      period: '2025-01',
      amountMicros: 70,
      limitMicros: null,
      debitId: 'a',
    });
    const log = logger();
    const settler = new SpendSettler({ ledger, logger: log, retryMs: 10_000 });
    settler.void({ workspaceId: 'w', period: '2025-01', debitId: 'a' });
    settler.redo({
      workspaceId: 'w',
      period: '2025-01',
      amountMicros: 5,
      limitMicros: 1,
      force: true,
      debitId: 'b',
    });
    settler.redo({
      workspaceId: 'w',
      period: '2025-01',
      amountMicros: 5,
      limitMicros: 1,
      force: true,
      debitId: 'b',
    });
    expect(settler.pending).toBe(2);
    await settler.settle();
    expect(settler.pending).toBe(2);
    down = false;
    await settler.settle();
    await settler.settle();
    expect(settler.pending).toBe(0);
    expect(await store.getSpend('w', '2025-01')).toBe(5);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.info).toHaveBeenCalledTimes(1);
    await settler.close();
  });

  it('warns once when the ledger cannot void, and bounds what it holds', async () => {
    const log = logger();
    const noVoid = new SpendSettler({
      ledger: {
        getSpend: async () => 0,
        debitSpend: async () => ({ applied: true, totalMicros: 0 }),
      },
      logger: log,
    });
    noVoid.void({ workspaceId: 'w', period: '2025-01', debitId: 'x' });
    noVoid.void({ workspaceId: 'w', period: '2025-01', debitId: 'y' });
    expect(noVoid.pending).toBe(0);
    expect(log.warn).toHaveBeenCalledTimes(1);

    const full = new SpendSettler({
      ledger: {
        getSpend: async () => 0,
        debitSpend: () => Promise.reject(new StoreUnavailableError('down')),
        voidDebit: () => Promise.reject(new StoreUnavailableError('down')),
      },
      logger: log,
      maxPending: 2,
      retryMs: 60_000,
    });
    for (const id of ['1', '2', '3'])
      full.void({ workspaceId: 'w', period: '2025-01', debitId: id });
    expect(full.pending).toBe(2);
    expect(log.error).toHaveBeenCalledWith(
      'claude-auth: too many unsettled spend debits; one was dropped',
      { kind: 'void' },
    );
    await full.close();
  });
});

describe('spend units', () => {
  it.each([
    [0, 0],
    [0.0000004, 400],
    [0.07, 70_000_000],
    [12.5, 12_500_000_000],
  ])('usdToNanos(%s) = %s', (usd, nanos) => {
    expect(usdToNanos(usd)).toBe(nanos);
  });

  it('rejects bad and too large amounts', () => {
    expect(() => usdToNanos(-1)).toThrow(/non-negative/);
    expect(() => usdToNanos(Number.NaN)).toThrow(/finite/);
    expect(usdToNanos(1e10)).toBeNull(); // debited in whole micro-dollars instead
  });

  it('splits nano-dollars into whole micro-dollars and the rest', () => {
    expect(splitNanos(2_400)).toEqual({ micros: 2, rest: 400 });
    expect(splitNanos(999)).toEqual({ micros: 0, rest: 999 });
  });

  it('derives debit ids from the request, falling back to a hash for unusable request ids', () => {
    expect(debitIdFor('req_abc', 'wrkspc_1', 0)).toBe('req_abc:wrkspc_1:0');
    expect(debitIdFor('req_abc', null, 2)).toBe('req_abc:-:2');
    expect(debitIdFor('has space', 'w', 0)).toMatch(/^dbt_[0-9a-f]{64}$/);
    expect(debitIdFor('x'.repeat(300), 'w', 0)).toMatch(/^dbt_[0-9a-f]{64}$/);
    expect(debitIdFor('has space', 'w', 0)).not.toBe(debitIdFor('has space', 'w', 1));
  });
});
