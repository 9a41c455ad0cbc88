/**
 * Defect 4 of issue 13: spend accounting must not leak. Sub-micro-dollar costs add up instead of
 * rounding to zero, a spent budget refuses them too, each `recordSpend` is idempotent under its
 * debit id, and a debit whose outcome is unknown (the write may have committed although the call
 * failed) is voided when the request is refused, or re-applied exactly once when it was forced.
 */
import {
  MemoryKeyStore,
  StoreUnavailableError,
  createAuthenticator,
  type Authenticator,
  type ClaudeAuth,
  type Logger,
  type SpendLedger,
} from '@claude-auth/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const START = Date.UTC(2025, 5, 15, 12, 0, 0);
const PERIOD = '2025-06';

type LogFn = (message: string, meta?: Record<string, unknown>) => void;

/**
 * A ledger over the real MemoryKeyStore whose next debits can be made to fail AFTER committing
 * (a write that timed out on the client but committed on the server) or BEFORE (unreachable).
 */
function faultyLedger(store: MemoryKeyStore) {
  const mode = { value: 'ok' as 'ok' | 'commit-then-fail' | 'down' };
  const ledger: SpendLedger = {
    getSpend: (w, p) => store.getSpend(w, p),
    debitSpend: async (debit) => {
      if (mode.value === 'down') throw new StoreUnavailableError('connection refused');
      const result = await store.debitSpend(debit);
      if (mode.value === 'commit-then-fail') throw new StoreUnavailableError('query timeout');
      return result;
    },
    voidDebit: async (ref) => {
      if (mode.value === 'down') throw new StoreUnavailableError('connection refused');
      return store.voidDebit(ref);
    },
  };
  return { ledger, mode };
}

const open: Authenticator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

async function setup(limitUsd: number | null = null) {
  const store = new MemoryKeyStore({ now: () => new Date(START) });
  const faulty = faultyLedger(store);
  const logger = {
    warn: vi.fn<LogFn>(),
    error: vi.fn<LogFn>(),
    info: vi.fn<LogFn>(),
  } satisfies Logger;
  const auth = createAuthenticator({ store, spend: faulty.ledger, now: () => START, logger });
  open.push(auth);
  const workspace = await auth.keys.createWorkspace({
    name: 'Budget',
    monthlySpendLimitUsd: limitUsd,
  });
  const { secret } = await auth.keys.createKey({ name: 'k', workspaceId: workspace.id });
  const login = async (): Promise<ClaudeAuth> => {
    const result = await auth.authenticate({
      method: 'GET',
      url: '/v1/models',
      headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01' },
    });
    if (!result.ok) throw new Error(`expected success, got ${result.error.status}`);
    return result.auth;
  };
  return { store, auth, login, workspace, mode: faulty.mode, logger };
}

describe('recordSpend below one micro-dollar', () => {
  it('adds 1000 costs of 0.4 micro-dollars up to 400 micro-dollars instead of zero', async () => {
    const f = await setup();
    for (let i = 0; i < 1000; i++) {
      const result = await (await f.login()).recordSpend(0.0000004);
      expect(result.applied).toBe(true);
    }
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(400);
  });

  it('keeps fractions across mixed amounts: 3 x $0.0000015 = 4 micro-dollars now, 0.5 carried', async () => {
    const f = await setup();
    const auth = await f.login();
    await auth.recordSpend(0.0000015);
    await auth.recordSpend(0.0000015);
    await auth.recordSpend(0.0000015);
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(4);
    await auth.recordSpend(0.0000005);
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(5);
  });

  it('still debits amounts too large for nano-dollars (past ~$9M) in whole micro-dollars', async () => {
    const f = await setup();
    const auth = await f.login();
    await auth.recordSpend(0.0000005);
    expect((await auth.recordSpend(10_000_000)).totalMicros).toBe(10_000_000_000_000);
    await auth.recordSpend(0.0000005);
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(10_000_000_000_001);
  });

  it('refuses a sub-micro cost once the budget is spent (it used to count as applied)', async () => {
    const f = await setup(0.000_01); // 10 micro-dollars
    const auth = await f.login();
    expect((await auth.recordSpend(0.000_01)).applied).toBe(true);
    const refused = await auth.recordSpend(0.0000001);
    expect(refused).toMatchObject({ applied: false, totalMicros: 10, limitMicros: 10 });
    expect(refused.error).toMatchObject({ status: 429, headers: { 'x-should-retry': 'false' } });
    // Forced usage is still recorded, to the nano-dollar.
    for (let i = 0; i < 10; i++) await auth.recordSpend(0.0000001, { force: true });
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(11);
  });
});

describe('recordSpend idempotency', () => {
  it('debits each call once under its own id, and a repeated explicit debitId once', async () => {
    const f = await setup();
    const auth = await f.login();
    await auth.recordSpend(0.001);
    await auth.recordSpend(0.001);
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(2000);
    const again = await Promise.all(
      Array.from({ length: 5 }, () => auth.recordSpend(0.5, { debitId: 'charge_42' })),
    );
    for (const result of again) expect(result.applied).toBe(true);
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(502_000);
  });

  it('rejects a malformed debitId with a 400 and settles nothing', async () => {
    const f = await setup();
    const auth = await f.login();
    await expect(auth.recordSpend(0.1, { debitId: 'has space' })).rejects.toMatchObject({
      status: 400,
    });
    expect(f.logger.warn).not.toHaveBeenCalled();
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(0);
  });

  it('never charges a refused request whose debit committed although the call failed (ambiguous timeout)', async () => {
    const f = await setup(1);
    const auth = await f.login();
    f.mode.value = 'commit-then-fail';
    await expect(auth.recordSpend(0.25)).rejects.toBeInstanceOf(StoreUnavailableError);
    // The write did commit ...
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(250_000);
    f.mode.value = 'ok';
    // ... and is voided in the background, because the request was refused.
    await vi.waitFor(async () => expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(0), {
      timeout: 5000,
      interval: 50,
    });
    expect(f.logger.warn).toHaveBeenCalledWith(
      'claude-auth: spend debits with an unknown outcome; settling them in the background',
    );
    // The next request is charged normally.
    expect((await (await f.login()).recordSpend(0.25)).totalMicros).toBe(250_000);
  });

  it('voids a debit that was still in flight: a late commit of a refused request never applies', async () => {
    const f = await setup();
    const auth = await f.login();
    f.mode.value = 'down';
    await expect(auth.recordSpend(0.3)).rejects.toBeInstanceOf(StoreUnavailableError);
    f.mode.value = 'ok';
    await auth.recordSpend(0.1);
    await vi.waitFor(() => expect(f.logger.info).toHaveBeenCalled(), { timeout: 5000 });
    // The first call's debit id (request id, workspace, call 0) arriving now is refused.
    const late = await f.store.debitSpend({
      workspaceId: f.workspace.id,
      period: PERIOD,
      amountMicros: 300_000,
      limitMicros: null,
      force: true,
      debitId: `${auth.requestId}:${f.workspace.id}:0`,
    });
    expect(late.applied).toBe(false);
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(100_000);
  });

  it('re-applies a forced debit exactly once after an ambiguous failure, and after an outage', async () => {
    const f = await setup();
    const auth = await f.login();
    f.mode.value = 'commit-then-fail';
    await expect(auth.recordSpend(0.2, { force: true })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    f.mode.value = 'down';
    await expect(auth.recordSpend(0.05, { force: true })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    f.mode.value = 'ok';
    await vi.waitFor(
      async () => expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(250_000),
      { timeout: 5000, interval: 50 },
    );
    await vi.waitFor(() =>
      expect(f.logger.info).toHaveBeenCalledWith(
        'claude-auth: every spend debit with an unknown outcome is settled',
        expect.anything(),
      ),
    );
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(250_000);
  });
});
