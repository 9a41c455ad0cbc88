import { newWorkspaceId, type SpendLedger } from '@claude-auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectInvalidRequest } from './store-assertions.js';

/** What a spend-ledger conformance factory returns: a fresh ledger and how to dispose of it. */
export interface SpendLedgerFixture {
  ledger: SpendLedger;
  /** Runs after each test. When absent, `ledger.close?.()` is not called: nothing is released. */
  cleanup?: () => Promise<void>;
}

/**
 * The behaviour every {@link SpendLedger} must have (a `KeyStore`'s spend methods, or a ledger of
 * its own such as `RedisSpendLedger`): limits, forced debits, atomicity under concurrency,
 * idempotent debit ids, voids and tombstones, input checks. Registers a `describe` block.
 *
 * @example
 * ```ts
 * import { runSpendLedgerConformance } from '@claude-auth/testing';
 * runSpendLedgerConformance('RedisSpendLedger', async () => {
 *   const ledger = new RedisSpendLedger({ client, prefix: randomPrefix() });
 *   return { ledger, cleanup: () => deletePrefix(client, prefix) };
 * });
 * ```
 */
export function runSpendLedgerConformance(
  name: string,
  factory: () => Promise<SpendLedgerFixture>,
): void {
  describe(`SpendLedger conformance: ${name}`, () => {
    let fixture: SpendLedgerFixture;
    beforeEach(async () => {
      fixture = await factory();
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });
    spendLedgerCases(() => fixture.ledger);
  });
}

/**
 * The spend cases, registered inside the caller's `describe`; `ledger()` returns the ledger of the
 * running test. The key-store suite runs them against each store's own spend methods.
 *
 * @example
 * ```ts
 * describe('spend', () => spendLedgerCases(() => store));
 * ```
 */
export function spendLedgerCases(ledger: () => SpendLedger): void {
  it('starts at zero and accumulates per workspace and per period', async () => {
    const w1 = newWorkspaceId();
    const w2 = newWorkspaceId();
    expect(await ledger().getSpend(w1, '2025-01')).toBe(0);
    expect(
      await ledger().debitSpend({
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
      await ledger().debitSpend({
        workspaceId: w1,
        period: '2025-01',
        amountMicros: 500,
        limitMicros: null,
      }),
    ).toEqual({
      applied: true,
      totalMicros: 2000,
    });
    await ledger().debitSpend({
      workspaceId: w1,
      period: '2025-02',
      amountMicros: 7,
      limitMicros: null,
    });
    await ledger().debitSpend({
      workspaceId: w2,
      period: '2025-01',
      amountMicros: 9,
      limitMicros: null,
    });
    expect(await ledger().getSpend(w1, '2025-01')).toBe(2000);
    expect(await ledger().getSpend(w1, '2025-02')).toBe(7);
    expect(await ledger().getSpend(w2, '2025-01')).toBe(9);
  });

  it('applies a debit only while the total before it is below the limit, unless forced', async () => {
    const w = newWorkspaceId();
    const debit = (amountMicros: number, force?: boolean) =>
      ledger().debitSpend({
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
    expect(await ledger().getSpend(w, '2025-03')).toBe(1250);
    // Exactly at the limit is refused.
    const w2 = newWorkspaceId();
    await ledger().debitSpend({
      workspaceId: w2,
      period: '2025-03',
      amountMicros: 1000,
      limitMicros: 1000,
    });
    expect(
      await ledger().debitSpend({
        workspaceId: w2,
        period: '2025-03',
        amountMicros: 1,
        limitMicros: 1000,
      }),
    ).toEqual({ applied: false, totalMicros: 1000 });
    expect(
      await ledger().debitSpend({
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
        ledger().debitSpend({
          workspaceId: w,
          period: '2025-04',
          amountMicros: 7,
          limitMicros: 500,
        }),
      ),
    );
    const applied = results.filter((result) => result.applied).length;
    const total = await ledger().getSpend(w, '2025-04');
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
        ledger().debitSpend({
          workspaceId: w,
          period: '2025-05',
          amountMicros: 3,
          limitMicros: 10,
          force: true,
        }),
      ),
    );
    expect(await ledger().getSpend(w, '2025-05')).toBe(300);
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
      expect(await ledger().debitSpend(debitOf(w, 'req_once'))).toEqual({
        applied: true,
        totalMicros: 100,
      });
      expect(await ledger().debitSpend(debitOf(w, 'req_once'))).toEqual({
        applied: true,
        totalMicros: 100,
      });
      const copies = await Promise.all(
        Array.from({ length: 20 }, () => ledger().debitSpend(debitOf(w, 'req_burst', 7))),
      );
      for (const copy of copies) expect(copy.applied).toBe(true);
      expect(await ledger().getSpend(w, period)).toBe(107);
      // Forced debits are idempotent too; ids without a repeat still add up.
      await ledger().debitSpend({ ...debitOf(w, 'req_forced', 5), force: true });
      await ledger().debitSpend({ ...debitOf(w, 'req_forced', 5), force: true });
      await ledger().debitSpend(debitOf(w, 'req_other', 5));
      expect(await ledger().getSpend(w, period)).toBe(117);
    });

    it('voids an applied debit exactly once, and a voided id never applies again', async () => {
      expect(typeof ledger().voidDebit).toBe('function');
      const w = newWorkspaceId();
      await ledger().debitSpend(debitOf(w, 'req_keep', 40));
      await ledger().debitSpend(debitOf(w, 'req_void', 100));
      const ref = refOf(w, 'req_void');
      expect(await ledger().voidDebit!(ref)).toEqual({ voided: true, totalMicros: 40 });
      expect(await ledger().voidDebit!(ref)).toEqual({ voided: false, totalMicros: 40 });
      expect(await ledger().debitSpend(debitOf(w, 'req_void', 100))).toEqual({
        applied: false,
        totalMicros: 40,
      });
      expect(await ledger().getSpend(w, period)).toBe(40);
    });

    it('voiding an id first leaves a tombstone: the debit arriving late never applies', async () => {
      const w = newWorkspaceId();
      const ref = refOf(w, 'req_late');
      const [voided, late] = [
        await ledger().voidDebit!(ref),
        await ledger().debitSpend({ ...debitOf(w, 'req_late', 100), force: true }),
      ];
      expect(voided).toEqual({ voided: false, totalMicros: 0 });
      expect(late).toEqual({ applied: false, totalMicros: 0 });
      expect(await ledger().getSpend(w, period)).toBe(0);
    });

    it('settles debits racing their voids either way, never both, without deadlock', async () => {
      for (let round = 0; round < 5; round++) {
        const w = newWorkspaceId();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            i % 2 === round % 2
              ? ledger().debitSpend(debitOf(w, 'req_race', 100))
              : ledger().voidDebit!(refOf(w, 'req_race')),
          ),
        );
        const applied = results.some((r) => 'applied' in r && r.applied);
        const voided = results.filter((r) => 'voided' in r && r.voided).length;
        expect(voided).toBeLessThanOrEqual(1);
        expect(await ledger().getSpend(w, period)).toBe(applied && voided === 0 ? 100 : 0);
      }
    });

    it('does not remember a refused debit: a repeat decides again', async () => {
      const w = newWorkspaceId();
      await ledger().debitSpend({ workspaceId: w, period, amountMicros: 1000, limitMicros: null });
      expect(await ledger().debitSpend(debitOf(w, 'req_refused'))).toEqual({
        applied: false,
        totalMicros: 1000,
      });
      expect(
        await ledger().debitSpend({ ...debitOf(w, 'req_refused'), limitMicros: 5000 }),
      ).toEqual({ applied: true, totalMicros: 1100 });
    });

    it.each([[''], ['x'.repeat(201)], ['has space'], ['new\nline'], [42]])(
      'rejects the debit id %j',
      async (debitId) => {
        const w = newWorkspaceId();
        await expect(
          ledger().debitSpend({ ...debitOf(w, 'x'), debitId: debitId as string }),
        ).rejects.toThrow(/Debit id/);
        await expect(
          ledger().voidDebit!({ workspaceId: w, period, debitId: debitId as string }),
        ).rejects.toThrow(/Debit id/);
        expect(await ledger().getSpend(w, period)).toBe(0);
      },
    );
  });

  it.each([[0], [-5], [1.5], [Number.NaN]])('rejects the amount %s', async (amountMicros) => {
    await expectInvalidRequest(
      ledger().debitSpend({
        workspaceId: newWorkspaceId(),
        period: '2025-06',
        amountMicros,
        limitMicros: null,
      }),
    );
  });
}
