/**
 * PostgreSQL faults under the authentication pipeline (issue 13): this test's own connections
 * terminated (`pg_terminate_backend`, selected by a unique `application_name`), and a server that
 * hangs, restarts, or commits a write whose reply never arrives, simulated by a TCP proxy this
 * test controls between the store and the shared PostgreSQL (which is never stopped). Every
 * request gets a documented answer (200, or 503 `api_error`; never 401 or 500) within a bounded
 * time, the store recovers without a restart, and no acknowledged revocation or debit is lost
 * (nor a refused request charged).
 */
import { randomBytes } from 'node:crypto';
import {
  StoreUnavailableError,
  createAuthenticator,
  type Authenticator,
  type ClaudeAuth,
  type Logger,
} from '@claude-auth/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresKeyStore } from '../src/index.js';
import { dropSchema, PG_AVAILABLE, PG_URL, randomSchema } from './pg-test-helpers.js';
import { startTcpProxy, type TcpProxy } from '../../testing/src/tcp-proxy.js';

const STATEMENT_TIMEOUT_MS = 500;
/** `connect()` sets the client-side query timeout to the statement timeout + 1 s. */
const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 1000;
/** Scheduling slack on a loaded, shared 2-core machine. */
const SLACK_MS = 1500;
const PERIOD = (() => {
  const now = new Date();
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
})();

interface Probe {
  status: number;
  type: string | null;
  ms: number;
}

/** One row of the fault matrix, printed at the end. */
const matrix: string[] = [];

describe.skipIf(!PG_AVAILABLE)('PostgreSQL faults under the pipeline', () => {
  const schema = randomSchema();
  const appName = `ca_fault_${randomBytes(5).toString('hex')}`;
  let proxy: TcpProxy;
  let store: PostgresKeyStore;
  /** Without a verification cache: every request reads the store, so each one meets the fault. */
  let auth: Authenticator;
  /** With the default caches, as services run: a request's debit is its only store call. */
  let spender: Authenticator;
  let admin: pg.Client;
  let secret: string;
  let workspaceId: string;
  const warnings: string[] = [];

  beforeAll(async () => {
    const target = new URL(PG_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(PG_URL);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    proxied.searchParams.set('application_name', appName);
    const logger: Logger = {
      warn: (message) => void warnings.push(message),
      error: (message) => void warnings.push(message),
      info: () => undefined,
    };
    store = await PostgresKeyStore.connect({
      connectionString: proxied.toString(),
      schema,
      statementTimeoutMs: STATEMENT_TIMEOUT_MS,
      connectionTimeoutMs: 500,
      poolSize: 4,
      logger,
    });
    auth = createAuthenticator({ store, cache: false, logger, failedAuth: false });
    spender = createAuthenticator({ store, logger, failedAuth: false });
    const workspace = await auth.keys.createWorkspace({ name: 'faults', monthlySpendLimitUsd: 5 });
    workspaceId = workspace.id;
    ({ secret } = await auth.keys.createKey({ name: 'faults', workspaceId }));
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
  });

  afterAll(async () => {
    console.info(
      `[postgres] fault matrix (statement timeout ${STATEMENT_TIMEOUT_MS} ms, query timeout ${QUERY_TIMEOUT_MS} ms):\n${matrix.join('\n')}`,
    );
    proxy?.setMode('forward');
    await auth?.close();
    await spender?.close();
    await store?.close();
    await proxy?.close();
    await admin?.end();
    await dropSchema(schema);
  });

  async function probe(key = secret): Promise<Probe> {
    const started = performance.now();
    const result = await auth.authenticate({
      method: 'GET',
      url: '/v1/models',
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    });
    const ms = performance.now() - started;
    if (result.ok) return { status: 200, type: null, ms };
    return { status: result.error.status, type: result.error.toJSON().error.type, ms };
  }

  /** Authenticates through `spender` (cached); throws the contract error when refused. */
  async function login(): Promise<ClaudeAuth> {
    const result = await spender.authenticate({
      method: 'GET',
      url: '/v1/models',
      headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01' },
    });
    if (!result.ok) throw result.error;
    return result.auth;
  }

  /** Polls until a probe answers 200; returns the time it took. */
  async function recovery(deadlineMs = 10_000): Promise<number> {
    const started = performance.now();
    for (;;) {
      const result = await probe();
      if (result.status === 200) return performance.now() - started;
      expect([503]).toContain(result.status);
      if (performance.now() - started > deadlineMs) throw new Error('no recovery');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  function expectDocumented(results: Probe[], allowed: number[]): void {
    for (const result of results) {
      expect(allowed).toContain(result.status);
      if (result.status === 503) expect(result.type).toBe('api_error');
    }
  }

  function record(fault: string, results: Probe[], recoveryMs: number | null): void {
    const statuses = [...new Set(results.map((r) => r.status))].join('/');
    const slowest = Math.max(...results.map((r) => r.ms));
    matrix.push(
      `  ${fault}: ${statuses}, slowest ${slowest.toFixed(0)} ms, recovery ${recoveryMs === null ? '-' : `${recoveryMs.toFixed(0)} ms`}`,
    );
  }

  it('survives pg_terminate_backend of its own connections: reads and debits under an id retry on fresh connections, so 200', async () => {
    const caller = await login();
    const before = await store.getSpend(workspaceId, PERIOD);
    await Promise.all(Array.from({ length: 4 }, () => probe())); // fill the pool
    const { rows } = await admin.query<{ terminated: boolean }>(
      'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    expect(rows.length).toBeGreaterThan(0);
    // A debit under its id is idempotent, so it too is retried on a fresh connection: applied once.
    expect((await caller.recordSpend(0.01)).applied).toBe(true);
    expect(await store.getSpend(workspaceId, PERIOD)).toBe(before + 10_000);
    const results = await Promise.all(Array.from({ length: 8 }, () => probe()));
    expectDocumented(results, [200]);
    for (const result of results) expect(result.ms).toBeLessThan(QUERY_TIMEOUT_MS + SLACK_MS);
    const recoveryMs = await recovery();
    record(`terminate ${rows.length} backends`, results, recoveryMs);
  });

  it('answers 503 api_error within the query timeout while PostgreSQL hangs, and recovers when it answers again', async () => {
    proxy.setMode('hold');
    let results: Probe[];
    try {
      results = await Promise.all(Array.from({ length: 4 }, () => probe()));
    } finally {
      proxy.setMode('forward');
    }
    expectDocumented(results, [503]);
    for (const result of results) expect(result.ms).toBeLessThan(QUERY_TIMEOUT_MS + SLACK_MS);
    const recoveryMs = await recovery();
    record('server hangs (proxy holds traffic)', results, recoveryMs);
  });

  it('answers 503 api_error at once while PostgreSQL restarts (connections reset and refused), then recovers', async () => {
    proxy.setMode('refuse');
    let results: Probe[];
    try {
      results = [];
      for (let i = 0; i < 5; i++) results.push(await probe());
    } finally {
      proxy.setMode('forward');
    }
    expectDocumented(results, [503]);
    for (const result of results) expect(result.ms).toBeLessThan(1000 + SLACK_MS);
    const recoveryMs = await recovery();
    record('server restarts (proxy resets and refuses)', results, recoveryMs);
  });

  it('keeps an acknowledged revocation across a restart', async () => {
    const { key, secret: doomed } = await auth.keys.createKey({ name: 'doomed', workspaceId });
    expect((await probe(doomed)).status).toBe(200);
    await auth.keys.archiveKey(key.id); // acknowledged
    proxy.setMode('refuse');
    expect((await probe(doomed)).status).toBe(503);
    proxy.setMode('forward');
    await recovery();
    const after = await probe(doomed);
    expect(after.status).toBe(401);
    record('revoked key after restart', [after], null);
  });

  it('refuses to acknowledge a revocation while PostgreSQL is down (503), so none is lost', async () => {
    const { key, secret: kept } = await auth.keys.createKey({ name: 'kept', workspaceId });
    proxy.setMode('refuse');
    try {
      await expect(auth.keys.archiveKey(key.id)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      proxy.setMode('forward');
    }
    await recovery();
    // Not acknowledged, not applied: the caller knows to retry.
    expect((await probe(kept)).status).toBe(200);
    await auth.keys.archiveKey(key.id);
    expect((await probe(kept)).status).toBe(401);
  });

  it('never charges a refused request whose debit committed although its reply was lost (ambiguous timeout)', async () => {
    const caller = await login();
    const before = await store.getSpend(workspaceId, PERIOD);
    proxy.setMode('drop-replies');
    const started = performance.now();
    let error: unknown;
    try {
      await caller.recordSpend(0.5);
    } catch (caught) {
      error = caught;
    } finally {
      proxy.setMode('forward');
    }
    const ms = performance.now() - started;
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(spender.errorResponse(error).status).toBe(503);
    expect(ms).toBeLessThan(QUERY_TIMEOUT_MS + SLACK_MS);
    const read = async (): Promise<number> => {
      const { rows } = await admin.query<{ total: string | null }>(
        `SELECT (SELECT total_micros FROM ${pg.escapeIdentifier(schema)}.spend WHERE workspace_id = $1 AND period = $2) AS total`,
        [workspaceId, PERIOD],
      );
      return Number(rows[0]?.total ?? 0);
    };
    // The write committed on the server although the caller saw a timeout ...
    const committed = await read();
    expect(committed).toBe(before + 500_000);
    // ... and the pipeline voids it in the background: the refused request costs nothing.
    const voidStarted = performance.now();
    while ((await read()) !== before) {
      if (performance.now() - voidStarted > 10_000) throw new Error('debit never voided');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const settledMs = performance.now() - voidStarted;
    const { rows } = await admin.query<{ state: string }>(
      `SELECT state FROM ${pg.escapeIdentifier(schema)}.spend_debits WHERE debit_id = $1`,
      [`${caller.requestId}:${workspaceId}:0`],
    );
    expect(rows).toEqual([{ state: 'voided' }]);
    // The next debit is charged once.
    expect((await (await login()).recordSpend(0.25)).totalMicros).toBe(before + 250_000);
    matrix.push(
      `  write committed, reply lost: 503 after ${ms.toFixed(0)} ms; voided ${settledMs.toFixed(0)} ms after recovery; charged 0`,
    );
  });

  it('keeps every acknowledged debit and charges no refused one across hangs and restarts', async () => {
    const start = await store.getSpend(workspaceId, PERIOD);
    let acknowledged = 0;
    const modes = ['forward', 'hold', 'forward', 'refuse', 'forward', 'drop-replies', 'forward'];
    const statuses: number[] = [];
    try {
      for (const mode of modes) {
        proxy.setMode(mode as Parameters<TcpProxy['setMode']>[0]);
        const attempts = await Promise.all(
          Array.from({ length: 3 }, async () => {
            try {
              const caller = await login();
              const result = await caller.recordSpend(0.01);
              statuses.push(200);
              return result.applied ? 10_000 : 0;
            } catch (error) {
              statuses.push(spender.errorResponse(error).status);
              return 0;
            }
          }),
        );
        acknowledged += attempts.reduce<number>((a, b) => a + b, 0);
      }
    } finally {
      proxy.setMode('forward');
    }
    expect([...new Set(statuses)].sort()).toEqual([200, 503]);
    const deadline = performance.now() + 10_000;
    while ((await store.getSpend(workspaceId, PERIOD)) !== start + acknowledged) {
      if (performance.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await store.getSpend(workspaceId, PERIOD)).toBe(start + acknowledged);
    expect(acknowledged).toBeGreaterThan(0);
    matrix.push(
      `  mixed hang/restart/lost replies: ${acknowledged / 10_000} of ${modes.length * 3} debits acknowledged, store total = acknowledged`,
    );
    // Nothing the store logged names the connection string or a key.
    expect(warnings.join('\n')).not.toMatch(/postgres:\/\/|cla_(api|admin)_/);
  });
});
