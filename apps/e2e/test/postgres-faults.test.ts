/**
 * PostgreSQL faults under real demo processes (issue 13). Two Express demo processes use a
 * throw-away schema through a TCP proxy this test owns (the shared PostgreSQL is never stopped):
 * their own connections are terminated (`pg_terminate_backend`, by a unique `application_name`),
 * then PostgreSQL "restarts" (the proxy resets connections and refuses new ones) and "hangs" (the
 * proxy holds all traffic). Over HTTP every answer is 200 or the contract's 503 `api_error`, never
 * a 401 or 500, within the store's timeouts; service returns without a restart; and the store
 * holds exactly the debits of the answered messages: none lost, no refused request charged.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyManager, spendPeriod } from '@claude-auth/core';
import {
  startTcpProxy,
  type ProxyMode,
  type TcpProxy,
} from '../../../packages/testing/src/tcp-proxy.js';
import { expectContractError, sleep } from './support/contract.js';
import { startDemos, type DemoProcess } from './support/demo-process.js';
import { API_HEADERS, countStatuses, send, type Exchange } from './support/http.js';
import { createSchema, type TemporarySchema } from './support/postgres-schema.js';

/** The demos' PostgreSQL timeouts (the store's defaults): statement 5 s, client-side 6 s, connect 5 s. */
const QUERY_TIMEOUT_MS = 6000;
const LATENCY_MARGIN_MS = 2500;
/** 200 characters in, "Echo: " + 200 out: 50 input and 52 output tokens at $3 / $15 per million. */
const BODY = {
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'x'.repeat(200) }],
};
const COST_MICROS = 50 * 3 + 52 * 15;

let db: TemporarySchema | undefined;
let proxy: TcpProxy | undefined;
let keys: KeyManager;
const appName = `ca_e2e_fault_${randomBytes(4).toString('hex')}`;
const demos: DemoProcess[] = [];

beforeAll(async () => {
  db = await createSchema();
  keys = new KeyManager({ store: db.store, usageFlushIntervalMs: 0 });
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  const url = `postgres://postgres@127.0.0.1:${proxy.port}/test?schema=${db.name}&application_name=${appName}`;
  demos.push(
    ...(await startDemos([
      ['A', { CLAUDE_AUTH_STORE_URL: url }],
      ['B', { CLAUDE_AUTH_STORE_URL: url }],
    ])),
  );
}, 240_000);

afterAll(async () => {
  proxy?.setMode('forward');
  await Promise.all(demos.map((d) => d.stop()));
  await proxy?.close();
  await keys?.close();
  await db?.drop();
}, 60_000);

interface Sample extends Exchange {
  phase: string;
  kind: 'models' | 'messages';
}

describe('PostgreSQL faults under two demo processes (a TCP proxy this test owns)', () => {
  it('answers 200 or 503 api_error within the timeouts, recovers, and keeps exactly the answered debits', async () => {
    const workspace = await keys.createWorkspace({
      name: 'e2e pg faults',
      monthlySpendLimitUsd: 100,
    });
    const { secret } = await keys.createKey({ name: 'e2e pg faults', workspaceId: workspace.id });
    const headers = { ...API_HEADERS, 'x-api-key': secret };
    const samples: Sample[] = [];
    const matrix: string[] = [];

    async function burst(phase: string, count = 4): Promise<Sample[]> {
      const sent = await Promise.all(
        Array.from({ length: count }, (_, i) => {
          const demo = demos[i % demos.length]!;
          const kind = i % 2 === 0 ? 'messages' : 'models';
          return send(`${demo.url}/v1/${kind}`, {
            headers,
            ...(kind === 'messages' ? { body: BODY } : {}),
            timeoutMs: 20_000,
          }).then((res): Sample => ({ ...res, phase, kind }));
        }),
      );
      samples.push(...sent);
      return sent;
    }

    async function recovery(): Promise<number> {
      const started = performance.now();
      for (;;) {
        const results = await burst('recovery', 2);
        if (results.every((r) => r.status === 200)) return performance.now() - started;
        if (performance.now() - started > 30_000) throw new Error('no recovery');
        await sleep(100);
      }
    }

    async function fault(name: string, mode: ProxyMode | 'terminate'): Promise<void> {
      let results: Sample[];
      if (mode === 'terminate') {
        // Through this test's own pool (direct, not proxied): only the demos' backends match.
        const { rowCount } = await db!.store.pool.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [appName],
        );
        name = `${name} (${rowCount} backends)`;
        results = await burst(name, 8);
      } else {
        proxy!.setMode(mode);
        try {
          results = await burst(name, 8);
        } finally {
          proxy!.setMode('forward');
        }
      }
      const recoveryMs = await recovery();
      const slowest = Math.max(...results.map((r) => r.ms));
      const byKind = (kind: Sample['kind']) =>
        JSON.stringify(countStatuses(results.filter((r) => r.kind === kind)));
      matrix.push(
        `${name}: models ${byKind('models')}, messages ${byKind('messages')}, slowest ${slowest.toFixed(0)} ms, back to 200 after ${recoveryMs.toFixed(0)} ms`,
      );
      for (const res of results) {
        if (res.status !== 200) expectContractError(res, 503, 'api_error');
        expect(res.ms).toBeLessThan(QUERY_TIMEOUT_MS + LATENCY_MARGIN_MS);
      }
    }

    await burst('warm-up', 4);
    await fault('own connections terminated', 'terminate');
    await fault('PostgreSQL restarting (reset + refused)', 'refuse');
    await fault('PostgreSQL hanging (traffic held)', 'hold');
    await fault('replies lost (requests still reach PostgreSQL)', 'drop-replies');

    console.log(`[e2e] postgres faults:\n  ${matrix.join('\n  ')}`);
    expect(Object.keys(countStatuses(samples)).every((s) => s === '200' || s === '503')).toBe(true);
    expect(samples.filter((s) => s.phase === 'warm-up').every((s) => s.status === 200)).toBe(true);

    // Every answered message debited once; refused ones (503) charged nothing, once the demos
    // have settled the debits whose outcome they did not know.
    const answered = samples.filter((s) => s.kind === 'messages' && s.status === 200).length;
    const period = spendPeriod(new Date());
    const started = performance.now();
    let total = await db!.store.getSpend(workspace.id, period);
    while (total !== answered * COST_MICROS && performance.now() - started < 15_000) {
      await sleep(200);
      total = await db!.store.getSpend(workspace.id, period);
    }
    console.log(
      `[e2e] postgres faults: ${answered} messages answered, store total ${total} micro-USD = ${answered} x ${COST_MICROS}`,
    );
    expect(total).toBe(answered * COST_MICROS);
    for (const d of demos) expect(d.logs()).not.toMatch(/cla_(api|admin)_\w+_[A-Za-z0-9]{20,}/);
  });
});
