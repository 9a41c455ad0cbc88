/**
 * A paused Redis (SIGSTOP of a redis-server this test owns: the connections stay open, nothing
 * answers): demo processes must not slow every request for the whole pause. Each Redis role
 * (limiter, spend ledger, invalidation bus) has a circuit breaker: the first call waits for the
 * Redis timeout, the following ones fall back at once (per-process limiter, debits straight to
 * the SQLite store), each role logs once per outage and once on recovery, and no debit is lost or
 * counted twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '@claude-auth/runtime';
import { KeyManager, spendPeriod, type KeyStore } from '@claude-auth/core';
import { percentile, sleep } from './support/contract.js';
import { startDemos, type DemoProcess } from './support/demo-process.js';
import { API_HEADERS, countStatuses, send, type Exchange } from './support/http.js';
import { freePort, startRedis, type OwnedRedis } from './support/redis-server.js';

/** `CLAUDE_AUTH_REDIS_TIMEOUT_MS` given to the demos. */
const REDIS_TIMEOUT_MS = 300;
/** Scheduling slack on a loaded 2-core machine. */
const LATENCY_MARGIN_MS = 1200;
const PAUSE_MS = 4000;
const STREAM_INTERVAL_MS = 20;
/** 200 characters in, "Echo: " + 200 out: 50 input and 52 output tokens at $3 / $15 per million. */
const BODY = {
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'x'.repeat(200) }],
};
const COST_MICROS = 50 * 3 + 52 * 15;

let dir: string;
let store: KeyStore | undefined;
let keys: KeyManager;
let redis: OwnedRedis | undefined;
let paused = false;
const demos: DemoProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'claude-auth-e2e-pause-'));
  const storeUrl = `sqlite:${path.join(dir, 'keys.db')}`;
  store = await openStore(storeUrl);
  keys = new KeyManager({ store, usageFlushIntervalMs: 0 });
  redis = await startRedis(await freePort());
  const env = {
    CLAUDE_AUTH_STORE_URL: storeUrl,
    CLAUDE_AUTH_REDIS_URL: redis.url,
    CLAUDE_AUTH_REDIS_TIMEOUT_MS: String(REDIS_TIMEOUT_MS),
  };
  demos.push(
    ...(await startDemos([
      ['A', env],
      ['B', env],
    ])),
  );
}, 240_000);

afterAll(async () => {
  if (paused && redis !== undefined) process.kill(redis.pid, 'SIGCONT');
  await Promise.all(demos.map((d) => d.stop()));
  await redis?.kill();
  await keys?.close();
  await store?.close?.();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}, 60_000);

interface Sample extends Exchange {
  demo: DemoProcess;
  kind: 'models' | 'messages';
  /** ms after the pause began (negative: before). */
  sentAfterPause: number;
}

describe('Redis paused (SIGSTOP of a redis-server this test owns)', () => {
  it('costs one Redis timeout per role, not one per request; logs once per role; loses no debit', async () => {
    const workspace = await keys.createWorkspace({ name: 'e2e pause', monthlySpendLimitUsd: 100 });
    const { secret } = await keys.createKey({ name: 'e2e pause', workspaceId: workspace.id });
    const headers = { ...API_HEADERS, 'x-api-key': secret };
    const victim = await keys.createKey({ name: 'e2e revoked during the pause' });
    const victimHeaders = { ...API_HEADERS, 'x-api-key': victim.secret };
    for (const d of demos) {
      expect((await send(`${d.url}/v1/models`, { headers })).status).toBe(200);
      expect((await send(`${d.url}/v1/messages`, { headers, body: BODY })).status).toBe(200);
      expect((await send(`${d.url}/v1/models`, { headers: victimHeaders })).status).toBe(200);
    }

    const samples: Sample[] = [];
    const failures: string[] = [];
    let pausedAt = Number.POSITIVE_INFINITY;
    let streaming = true;
    const stream = (async () => {
      const inflight: Array<Promise<void>> = [];
      for (let i = 0; streaming; i++) {
        const demo = demos[i % demos.length]!;
        const kind = Math.floor(i / demos.length) % 2 === 0 ? 'models' : 'messages';
        const sentAfterPause = performance.now() - pausedAt;
        inflight.push(
          send(`${demo.url}/v1/${kind}`, {
            headers,
            ...(kind === 'messages' ? { body: BODY } : {}),
            timeoutMs: 15_000,
          }).then(
            (res) => void samples.push({ ...res, demo, kind, sentAfterPause }),
            (error: unknown) =>
              void failures.push(error instanceof Error ? error.message : String(error)),
          ),
        );
        await sleep(STREAM_INTERVAL_MS);
      }
      await Promise.all(inflight);
    })();

    await sleep(800);
    process.kill(redis!.pid, 'SIGSTOP');
    paused = true;
    pausedAt = performance.now();
    // A revocation acknowledged by the store while Redis is paused (no invalidation can be
    // published): the verification caches' TTL is the backstop.
    await sleep(500);
    await keys.archiveKey(victim.key.id);
    const revokedAt = performance.now();
    await sleep(PAUSE_MS - 500);
    process.kill(redis!.pid, 'SIGCONT');
    paused = false;
    const resumedAt = performance.now();
    await sleep(1500);
    streaming = false;
    await stream;

    const during = samples.filter((s) => s.sentAfterPause >= 0 && s.sentAfterPause < PAUSE_MS);
    const settled = during.filter((s) => s.sentAfterPause >= 1000);
    const latencies = during.map((s) => s.ms);
    const slowCount = during.filter((s) => s.ms >= REDIS_TIMEOUT_MS - 20).length;
    console.log(
      `[e2e] redis paused ${PAUSE_MS} ms: ${during.length} requests during the pause ` +
        `(${JSON.stringify(countStatuses(during))}); p50 ${percentile(latencies, 50).toFixed(0)} ms, ` +
        `p90 ${percentile(latencies, 90).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms; ` +
        `${slowCount} waited for the ${REDIS_TIMEOUT_MS} ms timeout; after the first second: p50 ${percentile(
          settled.map((s) => s.ms),
          50,
        ).toFixed(0)} ms, max ${Math.max(...settled.map((s) => s.ms)).toFixed(0)} ms`,
    );

    expect(failures).toEqual([]);
    expect(during.length).toBeGreaterThan(40);
    for (const s of samples) expect(s.status).toBe(200);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(REDIS_TIMEOUT_MS + LATENCY_MARGIN_MS);
    // Without a breaker every request of the pause waited for the timeout (and a message for
    // two); with one, the typical request does not wait at all.
    expect(percentile(latencies, 50)).toBeLessThan(REDIS_TIMEOUT_MS / 2);
    expect(
      percentile(
        settled.map((s) => s.ms),
        90,
      ),
    ).toBeLessThan(REDIS_TIMEOUT_MS / 2);
    expect(slowCount).toBeLessThan(during.length / 4);

    // No lost and no double debit: every answered message is recorded once, in the store.
    const answered = samples.filter((s) => s.kind === 'messages').length + demos.length;
    const usage = await keys.getWorkspaceUsage(workspace.id);
    expect(usage.spentMicros).toBe(answered * COST_MICROS);
    expect(await store!.getSpend(workspace.id, spendPeriod(new Date()))).toBe(
      answered * COST_MICROS,
    );

    // The revocation holds everywhere within the cache TTL (5 s by default), Redis or not.
    for (const d of demos) {
      for (;;) {
        const res = await send(`${d.url}/v1/models`, { headers: victimHeaders });
        if (res.status === 401) break;
        expect(res.status).toBe(200);
        expect(performance.now() - revokedAt).toBeLessThan(5000 + LATENCY_MARGIN_MS);
        await sleep(50);
      }
    }
    const refusedAfter = performance.now() - revokedAt;
    console.log(
      `[e2e] key revoked during the pause: refused by both processes ${refusedAfter.toFixed(0)} ms after the revocation (cache TTL 5000 ms)`,
    );

    // One warning per role per process for the outage, one line each on recovery; no warning per debit.
    const recovered = performance.now() - resumedAt;
    for (const d of demos) {
      const logs = d.logs();
      for (const role of ['rate limiter', 'spend ledger']) {
        const down = `Redis ${role} unavailable; failing fast and probing in the background`;
        expect(logs.split(down).length - 1).toBe(1);
        expect(logs).toContain(`Redis ${role} available again`);
      }
      expect(logs).not.toContain('debiting the durable store directly');
      expect(logs).not.toMatch(/cla_(api|admin)_\w+_[A-Za-z0-9]{20,}/);
    }
    console.log(
      `[e2e] redis resumed: both processes logged recovery within ${recovered.toFixed(0)} ms of SIGCONT`,
    );
  });
});
