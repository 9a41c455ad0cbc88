import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { LimiterUnavailableError } from '@claude-auth/core/store';
import {
  MemoryKeyStore,
  StoreUnavailableError,
  type KeyInvalidation,
  type Logger,
} from '@claude-auth/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  createRedisClient,
  RedisInvalidationBus,
  RedisRateLimiter,
  RedisSpendLedger,
  waitForRedis,
} from '../src/index.js';
import { freePort, settle, startOwnRedis, type OwnRedis } from './redis-test-helpers.js';

const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;
const TIMEOUT_MS = 200;
/** Scheduling slack on a shared 2-core machine. */
const SLACK_MS = 150;
const rule = { limit: 100_000, windowMs: 60_000 };

async function until<T>(
  fn: () => Promise<T>,
  timeoutMs: number,
): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  for (;;) {
    try {
      return { value: await fn(), ms: performance.now() - started };
    } catch (error) {
      if (performance.now() - started > timeoutMs) throw error;
      await sleep(50);
    }
  }
}

describe.skipIf(!HAS_REDIS_SERVER)('Redis faults on a redis-server this test owns', () => {
  const servers: OwnRedis[] = [];
  const clients: Redis[] = [];
  const closers: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const close of closers.splice(0)) await close().catch(() => undefined);
    for (const client of clients.splice(0)) client.disconnect();
    for (const server of servers.splice(0)) await server.stop();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  async function own(port: number): Promise<OwnRedis> {
    const server = await startOwnRedis(port);
    servers.push(server);
    return server;
  }

  it('settles every call within the timeout when the server is killed mid-run, then recovers on restart', async () => {
    const port = await freePort();
    let server = await own(port);
    const client = createRedisClient(server.url, {
      commandTimeoutMs: TIMEOUT_MS,
      connectTimeoutMs: 200,
      maxReconnectDelayMs: 200,
    });
    clients.push(client);
    await waitForRedis(client);
    const limiter = new RedisRateLimiter({ client });
    const durable = new MemoryKeyStore();
    const spend = new RedisSpendLedger({ client, durable });
    const bus = new RedisInvalidationBus({ client });
    closers.push(() => bus.close());
    await bus.ready();
    const period = '2030-01';
    const debit = { workspaceId: 'wrkspc_f', period, amountMicros: 10, limitMicros: 1_000 };
    expect((await spend.debitSpend(debit)).applied).toBe(true);

    // A stream of decisions; the server dies (SIGKILL, only our pid) in the middle of it.
    const calls: Array<ReturnType<typeof settle>> = [];
    for (let i = 0; i < 40; i++) {
      if (i === 15) void server.stop('SIGKILL');
      calls.push(settle(() => limiter.consume('stream', rule)));
      await sleep(5);
    }
    const results = await Promise.all(calls);
    const slowest = Math.max(...results.map((r) => r.ms));
    const failures = results.filter((r) => !r.ok);
    console.info(
      `[redis] kill mid-run: ${results.length - failures.length} ok, ${failures.length} failed, slowest ${slowest.toFixed(0)} ms (timeout ${TIMEOUT_MS} ms)`,
    );
    expect(failures.length).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    for (const failure of failures) expect(failure.error).toBeInstanceOf(LimiterUnavailableError);

    // While Redis is down: spend goes to the durable store, publish fails loudly and fast.
    const down = await settle(() => spend.debitSpend(debit));
    expect(down.ok).toBe(true);
    expect(down.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect(await durable.getSpend('wrkspc_f', period)).toBe(20);
    const published = await settle(() => bus.publish({ keyId: 'key_x' }));
    expect(published.ok).toBe(false);
    expect(published.error).toBeInstanceOf(StoreUnavailableError);
    expect(published.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    // Same port, fresh (empty) server: the limiter, the ledger and the subscription come back.
    server = await own(port);
    const recovered = await until(() => limiter.consume('stream', rule), 5000);
    console.info(`[redis] limiter recovered ${recovered.ms.toFixed(0)} ms after the restart`);
    expect(recovered.value.allowed).toBe(true);
    const after = await spend.debitSpend(debit);
    expect(after).toEqual({ applied: true, totalMicros: 30 });
    expect(await durable.getSpend('wrkspc_f', period)).toBe(30);

    const publisher = new Redis(server.url);
    clients.push(publisher);
    const seen: KeyInvalidation[] = [];
    bus.subscribe((event) => seen.push(event));
    await until(async () => {
      await publisher.publish(
        'claude-auth:invalidate',
        JSON.stringify({ keyId: 'key_after_restart' }),
      );
      await sleep(50);
      if (seen.length === 0) throw new Error('not resubscribed yet');
    }, 5000);
    expect(seen[0]).toEqual({ keyId: 'key_after_restart' });
  });

  it('a paused Redis (SIGSTOP) costs one timeout per role, then every call fails at once; one warning per role, one line on recovery (SIGCONT)', async () => {
    const server = await own(await freePort());
    const lines: Array<{ level: string; message: string }> = [];
    const logger: Logger = {
      info: (message) => void lines.push({ level: 'info', message }),
      warn: (message) => void lines.push({ level: 'warn', message }),
      error: (message) => void lines.push({ level: 'error', message }),
    };
    const client = createRedisClient(server.url, { commandTimeoutMs: TIMEOUT_MS });
    clients.push(client);
    await waitForRedis(client);
    const breaker = { probeIntervalMs: 100 };
    const limiter = new RedisRateLimiter({ client, breaker, logger });
    const durable = new MemoryKeyStore();
    const spend = new RedisSpendLedger({ client, durable, breaker, logger });
    const bus = new RedisInvalidationBus({ client, breaker, logger });
    closers.push(
      () => bus.close(),
      () => limiter.close(),
      () => spend.close(),
    );
    await bus.ready();
    const period = '2030-02';
    const debit = (i: number) =>
      spend.debitSpend({
        workspaceId: 'wrkspc_p',
        period,
        amountMicros: 10,
        limitMicros: null,
        debitId: `req_pause_${i}`,
      });
    expect((await limiter.consume('pause', rule)).allowed).toBe(true);
    expect((await debit(0)).applied).toBe(true);

    server.process.kill('SIGSTOP');
    const pausedAt = performance.now();
    try {
      // The first call of each role waits for the command timeout ...
      const first = await Promise.all([
        settle(() => limiter.consume('pause', rule)),
        settle(() => debit(1)),
        settle(() => bus.publish({ keyId: 'key_p' })),
      ]);
      // ... then 50 more of each settle at once: the breakers are open.
      const fast: Array<{ ok: boolean; ms: number; error?: unknown }> = [];
      for (let i = 0; i < 50; i++) {
        fast.push(
          await settle(() => limiter.consume('pause', rule)),
          await settle(() => debit(100 + i)),
          await settle(() => bus.publish({ keyId: 'key_p' })),
        );
      }
      const slowestFirst = Math.max(...first.map((r) => r.ms));
      const slowestFast = Math.max(...fast.map((r) => r.ms));
      console.info(
        `[redis] paused: first call per role ${slowestFirst.toFixed(0)} ms, next 150 calls at most ${slowestFast.toFixed(1)} ms (timeout ${TIMEOUT_MS} ms)`,
      );
      expect(slowestFirst).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expect(slowestFast).toBeLessThan(50);
      expect(first[0].error).toBeInstanceOf(LimiterUnavailableError);
      expect(first[1].ok).toBe(true); // spend went to the durable store
      expect(first[2].error).toBeInstanceOf(StoreUnavailableError);
      expect(fast.filter((r, i) => i % 3 === 0).every((r) => !r.ok)).toBe(true);
      expect(fast.filter((r, i) => i % 3 === 1).every((r) => r.ok)).toBe(true);
      expect((fast[0]!.error as Error).message).toBe(
        'Redis rate limiter unavailable (circuit open)',
      );
      // No debit lost: 1 before the pause, 51 during it, all in the system of record.
      expect(await durable.getSpend('wrkspc_p', period)).toBe(520);
      expect(limiter.breaker?.state).toBe('open');
      expect(spend.breaker?.state).toBe('open');
    } finally {
      server.process.kill('SIGCONT');
    }
    const resumedAt = performance.now();
    const recovered = await until(async () => {
      const decision = await limiter.consume('pause', rule);
      if (spend.breaker?.state !== 'closed') throw new Error('ledger breaker still open');
      return decision;
    }, 5000);
    console.info(
      `[redis] resumed after ${(resumedAt - pausedAt).toFixed(0)} ms paused: limiter and ledger back ${recovered.ms.toFixed(0)} ms after SIGCONT`,
    );
    expect(recovered.ms).toBeLessThan(2000);
    // The counter missed the debits written directly: it is re-read from the durable store.
    expect(await debit(999)).toEqual({ applied: true, totalMicros: 530 });
    await until(async () => bus.publish({ keyId: 'key_back' }), 5000);
    const warnings = lines.filter((l) => l.level === 'warn').map((l) => l.message);
    const infos = lines.filter((l) => l.level === 'info').map((l) => l.message);
    expect(warnings.sort()).toEqual([
      'claude-auth: Redis invalidation bus unavailable; failing fast and probing in the background',
      'claude-auth: Redis rate limiter unavailable; failing fast and probing in the background',
      'claude-auth: Redis spend ledger unavailable; failing fast and probing in the background',
    ]);
    expect(infos.sort()).toEqual([
      'claude-auth: Redis invalidation bus available again',
      'claude-auth: Redis rate limiter available again',
      'claude-auth: Redis spend ledger available again',
    ]);
  });

  it.each([
    ['with the breaker', undefined],
    ['without it', false as const],
  ])('logs one warning per outage, not one per debit (%s)', async (_label, breaker) => {
    // Nothing listens on this port: every Redis command fails.
    const client = createRedisClient(`redis://127.0.0.1:${await freePort()}`, {
      commandTimeoutMs: TIMEOUT_MS,
      connectTimeoutMs: 100,
    });
    clients.push(client);
    const warn = vi.fn<(message: string) => void>();
    const durable = new MemoryKeyStore();
    const spend = new RedisSpendLedger({
      client,
      durable,
      breaker,
      logger: { warn, error: () => undefined },
    });
    closers.push(() => spend.close());
    for (let i = 0; i < 20; i++) {
      const result = await spend.debitSpend({
        workspaceId: 'wrkspc_w',
        period: '2030-03',
        amountMicros: 1,
        limitMicros: null,
        debitId: `req_warn_${i}`,
      });
      expect(result.applied).toBe(true);
    }
    expect(await durable.getSpend('wrkspc_w', '2030-03')).toBe(20);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('costs each call at most commandTimeoutMs when the server hangs (SIGSTOP) and the breaker is off', async () => {
    const server = await own(await freePort());
    const client = createRedisClient(server.url, { commandTimeoutMs: TIMEOUT_MS });
    clients.push(client);
    await waitForRedis(client);
    const limiter = new RedisRateLimiter({ client, breaker: false });
    expect((await limiter.consume('hang', rule)).allowed).toBe(true);
    server.process.kill('SIGSTOP');
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => settle(() => limiter.consume('hang', rule))),
      );
      const slowest = Math.max(...results.map((r) => r.ms));
      console.info(
        `[redis] hung server: slowest call settled after ${slowest.toFixed(0)} ms (timeout ${TIMEOUT_MS} ms)`,
      );
      for (const result of results) {
        expect(result.ok).toBe(false);
        expect(result.error).toBeInstanceOf(LimiterUnavailableError);
        expect((result.error as Error).message).toBe('Redis rate limiter unavailable (timeout)');
      }
      expect(slowest).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(slowest).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    } finally {
      server.process.kill('SIGCONT');
    }
  });
});
