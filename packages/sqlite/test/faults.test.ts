/**
 * SQLite faults under the authentication pipeline (issue 13): the file locked by another
 * connection holding a write transaction, and a database that cannot be written (opened
 * read-only, or switched to `query_only`). Reads keep answering; writes answer 503 `api_error`
 * (never 401 or 500) within the busy timeout; everything recovers without a restart; no
 * acknowledged revocation or debit is lost, and no refused request is charged.
 *
 * better-sqlite3 is synchronous: a write waiting for the lock blocks this process's event loop
 * for up to `busyTimeoutMs`, which is why the timeout is what bounds the latency here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  StoreUnavailableError,
  createAuthenticator,
  type Authenticator,
  type ClaudeAuth,
  type Logger,
} from '@claude-auth/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteKeyStore } from '../src/index.js';

const BUSY_TIMEOUT_MS = 200;
const SLACK_MS = 1000;
const PERIOD = (() => {
  const now = new Date();
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
})();

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'claude-auth-sqlite-faults-'));
  const file = path.join(dir, 'keys.db');
  const store = SqliteKeyStore.open(file, { busyTimeoutMs: BUSY_TIMEOUT_MS });
  const logged: string[] = [];
  const logger: Logger = {
    warn: (message) => void logged.push(message),
    error: (message) => void logged.push(message),
    info: (message) => void logged.push(message),
  };
  const auth = createAuthenticator({ store, logger, failedAuth: false });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  cleanups.push(() => auth.close().catch(() => undefined));
  const workspace = await auth.keys.createWorkspace({ name: 'faults', monthlySpendLimitUsd: 5 });
  const { key, secret } = await auth.keys.createKey({ name: 'k', workspaceId: workspace.id });
  const probe = async (withSecret = secret) => {
    const started = performance.now();
    const result = await auth.authenticate({
      method: 'GET',
      url: '/v1/models',
      headers: { 'x-api-key': withSecret, 'anthropic-version': '2023-06-01' },
    });
    return { result, ms: performance.now() - started };
  };
  const login = async (): Promise<ClaudeAuth> => {
    const { result } = await probe();
    if (!result.ok) throw result.error;
    return result.auth;
  };
  return { file, store, auth, workspace, key, secret, probe, login, logged };
}

/** The contract status and type an adapter sends for `error`. */
function answer(auth: Authenticator, error: unknown): { status: number; type: string } {
  const response = auth.errorResponse(error);
  return { status: response.status, type: response.body.error.type };
}

async function settle<T>(fn: () => Promise<T>) {
  const started = performance.now();
  try {
    return { value: await fn(), error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { value: undefined, error, ms: performance.now() - started };
  }
}

describe('SQLite locked by another connection (BEGIN IMMEDIATE held)', () => {
  it('keeps answering reads, refuses writes with 503 api_error within the busy timeout, and recovers on release', async () => {
    const f = await setup();
    const caller = await f.login();
    const unseen = await f.auth.keys.createKey({ name: 'unseen', workspaceId: f.workspace.id });
    const other = new Database(f.file);
    cleanups.push(() => void (other.open && other.close()));
    other.exec('BEGIN IMMEDIATE');
    let spend: Awaited<ReturnType<typeof settle>>;
    let revoke: Awaited<ReturnType<typeof settle>>;
    let read: Awaited<ReturnType<typeof f.probe>>;
    try {
      // A key this authenticator has not verified yet: the read goes to the file.
      read = await f.probe(unseen.secret);
      spend = await settle(() => caller.recordSpend(0.5));
      revoke = await settle(() => f.auth.keys.archiveKey(f.key.id));
    } finally {
      other.exec('ROLLBACK');
    }
    console.info(
      `[sqlite] locked: read ${read.result.ok ? 200 : read.result.error.status} in ${read.ms.toFixed(1)} ms; ` +
        `debit ${answer(f.auth, spend.error).status} in ${spend.ms.toFixed(0)} ms; revocation ${answer(f.auth, revoke.error).status} in ${revoke.ms.toFixed(0)} ms (busy timeout ${BUSY_TIMEOUT_MS} ms)`,
    );
    expect(read.result.ok).toBe(true);
    for (const write of [spend, revoke]) {
      expect(write.error).toBeInstanceOf(StoreUnavailableError);
      expect(answer(f.auth, write.error)).toEqual({ status: 503, type: 'api_error' });
      expect(write.ms).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - 20);
      expect(write.ms).toBeLessThan(BUSY_TIMEOUT_MS + SLACK_MS);
    }
    // Released: the refused debit is not charged, the next one is, the key still works (the
    // revocation was never acknowledged), and a revocation now holds.
    const started = performance.now();
    expect((await (await f.login()).recordSpend(0.25)).totalMicros).toBe(250_000);
    const recoveryMs = performance.now() - started;
    expect((await f.probe()).result.ok).toBe(true);
    await f.auth.keys.archiveKey(f.key.id);
    const revoked = await f.probe();
    expect(revoked.result.ok).toBe(false);
    if (!revoked.result.ok) expect(revoked.result.error.status).toBe(401);
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(250_000);
    console.info(`[sqlite] locked: recovered ${recoveryMs.toFixed(0)} ms after the release`);
  });
});

describe('SQLite that cannot be written', () => {
  it('a read-only connection to the file: reads answer 200, writes 503 api_error, never 401 or 500', async () => {
    const f = await setup();
    const readOnly = new Database(f.file, { readonly: true });
    const store = new SqliteKeyStore({ database: readOnly, busyTimeoutMs: BUSY_TIMEOUT_MS });
    cleanups.push(() => void readOnly.close());
    const auth = createAuthenticator({
      store,
      failedAuth: false,
      logger: { warn() {}, error() {} },
    });
    cleanups.push(() => auth.close().catch(() => undefined));
    const result = await auth.authenticate({
      method: 'GET',
      url: '/v1/models',
      headers: { 'x-api-key': f.secret, 'anthropic-version': '2023-06-01' },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const spend = await settle(() => result.auth.recordSpend(0.5));
    const create = await settle(() => auth.keys.createKey({ name: 'nope' }));
    for (const write of [spend, create]) {
      expect(write.error).toBeInstanceOf(StoreUnavailableError);
      expect(answer(auth, write.error)).toEqual({ status: 503, type: 'api_error' });
      expect(write.ms).toBeLessThan(SLACK_MS);
    }
    console.info(
      `[sqlite] read-only file: read 200, debit 503 in ${spend.ms.toFixed(1)} ms, key creation 503 in ${create.ms.toFixed(1)} ms`,
    );
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(0);
  });

  it('recovers without a restart once the database is writable again (query_only toggled)', async () => {
    const f = await setup();
    const caller = await f.login();
    f.store.db.pragma('query_only = ON');
    let spend: Awaited<ReturnType<typeof settle>>;
    try {
      spend = await settle(() => caller.recordSpend(0.5));
      expect(answer(f.auth, spend.error)).toEqual({ status: 503, type: 'api_error' });
      expect((await f.probe()).result.ok).toBe(true);
    } finally {
      f.store.db.pragma('query_only = OFF');
    }
    // The refused debit is voided by the background settlement once writes work: no charge.
    const deadline = performance.now() + 5000;
    while (
      !f.logged.includes('claude-auth: every spend debit with an unknown outcome is settled')
    ) {
      if (performance.now() > deadline) throw new Error('never settled');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await f.store.getSpend(f.workspace.id, PERIOD)).toBe(0);
    expect((await (await f.login()).recordSpend(0.5)).totalMicros).toBe(500_000);
    expect(f.logged).toContain('claude-auth: every spend debit with an unknown outcome is settled');
  });
});
