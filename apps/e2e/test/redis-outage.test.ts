/**
 * Redis killed mid-run: demo processes on a redis-server this test owns keep answering within the
 * configured Redis timeout, in the documented failure mode (a per-process fallback limiter by
 * default, 503 `api_error` under `fail-closed`), never a 500; the key store keeps working; and once
 * Redis is back on the same port, the shared limiter is used again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '@claude-auth/runtime';
import { KeyManager, type KeyStore } from '@claude-auth/core';
import { Redis } from 'ioredis';
import { expectContractError, percentile, sleep } from './support/contract.js';
import { startDemos, type DemoProcess } from './support/demo-process.js';
import { API_HEADERS, countStatuses, send, type Exchange } from './support/http.js';
import { pollUntil } from './support/poll.js';
import { freePort, startRedis, type OwnedRedis } from './support/redis-server.js';

/** `CLAUDE_AUTH_REDIS_TIMEOUT_MS` given to the demos. */
const REDIS_TIMEOUT_MS = 300;
/** Scheduling slack on a loaded 2-core machine; a request that waited for Redis to come back would take the whole outage. */
const LATENCY_MARGIN_MS = 1200;
const OUTAGE_MS = 3500;
const STREAM_INTERVAL_MS = 15;

let dir: string;
let store: KeyStore | undefined;
let keys: KeyManager;
let redis: OwnedRedis | undefined;
let fallbackA: DemoProcess;
let fallbackB: DemoProcess;
let failClosed: DemoProcess;
const demos: DemoProcess[] = [];

function headers(secret: string): Record<string, string> {
  return { ...API_HEADERS, 'x-api-key': secret };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'claude-auth-e2e-'));
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
      ['A (fallback)', env],
      ['B (fallback)', env],
      ['C (fail-closed)', { ...env, CLAUDE_AUTH_ON_LIMITER_ERROR: 'fail-closed' }],
    ])),
  );
  [fallbackA, fallbackB, failClosed] = demos as [DemoProcess, DemoProcess, DemoProcess];
}, 240_000);

afterAll(async () => {
  await Promise.all(demos.map((d) => d.stop()));
  await redis?.kill();
  await keys?.close();
  await store?.close?.();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}, 60_000);

interface Sample extends Exchange {
  demo: DemoProcess;
  phase: 'up' | 'down';
}

describe('Redis killed mid-run (SIGKILL of a redis-server this test owns)', () => {
  it('answers within the Redis timeout in the documented failure mode, never a 500, and recovers on restart', async () => {
    const { secret } = await keys.createKey({ name: 'e2e outage' });
    for (const d of demos)
      expect((await send(`${d.url}/v1/models`, { headers: headers(secret) })).status).toBe(200);

    // A steady stream, round-robin over the three processes, while Redis goes away.
    const samples: Sample[] = [];
    const failures: string[] = [];
    let phase: Sample['phase'] = 'up';
    let streaming = true;
    const stream = (async () => {
      const inflight: Array<Promise<void>> = [];
      for (let i = 0; streaming; i++) {
        const target = demos[i % demos.length]!;
        const sentIn = phase;
        inflight.push(
          send(`${target.url}/v1/models`, { headers: headers(secret), timeoutMs: 10_000 }).then(
            (res) => void samples.push({ ...res, demo: target, phase: sentIn }),
            (error: unknown) =>
              void failures.push(
                `${target.name}: ${error instanceof Error ? error.message : String(error)}`,
              ),
          ),
        );
        await sleep(STREAM_INTERVAL_MS);
      }
      await Promise.all(inflight);
    })();

    await sleep(1000);
    const killStartedAt = performance.now();
    await redis!.kill();
    const killedAt = performance.now();
    phase = 'down';

    // The key store still works without Redis: a key created now is verified from the store.
    await sleep(800);
    const fresh = await keys.createKey({ name: 'e2e created during the outage' });
    for (const d of [fallbackA, fallbackB]) {
      expect((await send(`${d.url}/v1/models`, { headers: headers(fresh.secret) })).status).toBe(
        200,
      );
    }
    expectContractError(
      await send(`${failClosed.url}/v1/models`, { headers: headers(fresh.secret) }),
      503,
      'api_error',
    );

    await sleep(Math.max(0, killedAt + OUTAGE_MS - performance.now()));
    streaming = false;
    await stream;

    const up = samples.filter((s) => s.phase === 'up');
    const down = samples.filter((s) => s.phase === 'down');
    const maxUp = Math.max(...up.map((s) => s.ms));
    const maxDown = Math.max(...down.map((s) => s.ms));
    const summary = (list: Sample[]): string =>
      demos
        .map((d) => `${d.name} ${JSON.stringify(countStatuses(list.filter((s) => s.demo === d)))}`)
        .join(', ');
    console.log(
      `[e2e] redis outage: ${samples.length} requests (${up.length} before the kill, ${down.length} during ${OUTAGE_MS} ms down); ` +
        `max latency ${maxUp.toFixed(0)} ms before, ${maxDown.toFixed(0)} ms during (p50 ${percentile(
          down.map((s) => s.ms),
          50,
        ).toFixed(0)} ms, ` +
        `bound ${REDIS_TIMEOUT_MS} + ${LATENCY_MARGIN_MS} ms); statuses during: ${summary(down)}`,
    );

    expect(failures).toEqual([]);
    expect(up.length).toBeGreaterThan(10);
    expect(down.length).toBeGreaterThan(30);
    expect(maxDown).toBeLessThanOrEqual(REDIS_TIMEOUT_MS + LATENCY_MARGIN_MS);
    for (const s of up) {
      // A request to the fail-closed instance that was in flight when Redis died may get its 503.
      if (s.demo === failClosed && s.startedAt + s.ms >= killStartedAt && s.status !== 200) {
        expectContractError(s, 503, 'api_error');
      } else {
        expect(s.status).toBe(200);
      }
    }
    for (const s of down) {
      if (s.demo === failClosed) expectContractError(s, 503, 'api_error');
      else expect(s.status).toBe(200);
    }
    expect(fallbackA.logs()).toContain(
      'rate limiter unavailable; falling back to a per-process limiter',
    );
    expect(fallbackB.logs()).toContain(
      'rate limiter unavailable; falling back to a per-process limiter',
    );
    expect(failClosed.logs()).toContain(
      'rate limiter unavailable; refusing requests (onLimiterError: fail-closed)',
    );

    // Redis back on the same port (empty: it kept nothing on disk).
    const port = redis!.port;
    redis = await startRedis(port);
    const restartedAt = performance.now();
    const recovered = await pollUntil(
      `${failClosed.url}/v1/models`,
      { headers: headers(secret) },
      (res) => res.status === 200,
      {
        intervalMs: 50,
        deadlineMs: 15_000,
      },
    );
    console.log(
      `[e2e] redis restarted: the fail-closed instance answers 200 again after ${(recovered.at - restartedAt).toFixed(0)} ms`,
    );

    // Limits are shared again: a fresh key limited to 5 rpm gets exactly 5 of 10 requests across A
    // and B (per-process fallback limiters would admit 10), and its state lives in the new Redis.
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      let attempts = 0;
      let admitted = -1;
      let keyId = '';
      while (performance.now() - restartedAt < 15_000) {
        attempts += 1;
        const limited = await keys.createKey({
          name: `e2e shared again ${attempts}`,
          rateLimit: { rpm: 5 },
        });
        keyId = limited.key.id;
        const results: Exchange[] = [];
        for (let i = 0; i < 10; i++) {
          const target = i % 2 === 0 ? fallbackA : fallbackB;
          results.push(await send(`${target.url}/v1/models`, { headers: headers(limited.secret) }));
        }
        admitted = results.filter((r) => r.status === 200).length;
        if (admitted === 5) break;
        await sleep(250);
      }
      console.log(
        `[e2e] redis restarted: limits shared again after ${(performance.now() - restartedAt).toFixed(0)} ms (${attempts} attempt(s), 5 of 10 admitted)`,
      );
      expect(admitted).toBe(5);
      expect(await probe.exists(`claude-auth:rl:k:${keyId}:5:60000:5`)).toBe(1);
    } finally {
      probe.disconnect();
    }
    for (const d of demos) expect(d.logs()).toContain('rate limiter available again');
    for (const d of demos) expect(d.logs()).not.toMatch(/cla_(api|admin)_\w+_[A-Za-z0-9]{20,}/);
  });
});
