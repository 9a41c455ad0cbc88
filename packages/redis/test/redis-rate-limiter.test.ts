import { LimiterUnavailableError } from '@claude-auth/core/store';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisClient, RedisRateLimiter, waitForRedis } from '../src/index.js';
import {
  adminClient,
  deletePrefix,
  randomPrefix,
  REDIS_AVAILABLE,
  REDIS_URL,
} from './redis-test-helpers.js';

describe.skipIf(!REDIS_AVAILABLE)('RedisRateLimiter on real Redis', () => {
  let admin: Redis;
  const clients: Redis[] = [];
  const prefixes: string[] = [];

  async function limiterOn(client?: Redis, prefix = randomPrefix('rl')): Promise<RedisRateLimiter> {
    const c = client ?? createRedisClient(REDIS_URL, { commandTimeoutMs: 2000 });
    if (!client) clients.push(c);
    await waitForRedis(c);
    prefixes.push(prefix);
    return new RedisRateLimiter({ client: c, prefix });
  }

  beforeAll(() => {
    admin = adminClient();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    for (const prefix of prefixes) await deletePrefix(admin, prefix);
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    await admin.quit();
  });

  it('is exact across several clients: exactly N of many concurrent consumes pass', async () => {
    const prefix = randomPrefix('multi');
    const limiters = await Promise.all(
      Array.from({ length: 5 }, () => limiterOn(undefined, prefix)),
    );
    const rule = { limit: 37, windowMs: 60_000 };
    const decisions = await Promise.all(
      Array.from({ length: 400 }, (_, i) => limiters[i % limiters.length]!.consume('shared', rule)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(37);
  });

  it('recovers transparently from NOSCRIPT after SCRIPT FLUSH, keeping the bucket state', async () => {
    const limiter = await limiterOn();
    const rule = { limit: 3, windowMs: 60_000 };
    expect((await limiter.consume('k', rule)).allowed).toBe(true);
    await admin.script('FLUSH');
    const after = await Promise.all([
      limiter.consume('k', rule),
      limiter.consume('k', rule),
      limiter.consume('k', rule),
    ]);
    expect(after.map((d) => d.allowed).sort()).toEqual([false, true, true]);
  });

  it('keeps a separate bucket per policy, so changing the limit never mixes states', async () => {
    const limiter = await limiterOn();
    expect((await limiter.consume('p', { limit: 1, windowMs: 60_000 })).allowed).toBe(true);
    expect((await limiter.consume('p', { limit: 1, windowMs: 60_000 })).allowed).toBe(false);
    expect((await limiter.consume('p', { limit: 2, windowMs: 60_000 })).allowed).toBe(true);
    expect(limiter.stateKey('p', { limit: 2, windowMs: 60_000 })).toMatch(/p:2:60000:2$/);
  });

  it('sets an expiry on every state key (no key outlives its bucket)', async () => {
    const prefix = randomPrefix('ttl');
    const limiter = await limiterOn(undefined, prefix);
    const rule = { limit: 10, windowMs: 5_000 };
    await limiter.consume('t', rule);
    const ttl = await admin.pttl(limiter.stateKey('t', rule));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(500);
  });

  it('decides on Redis TIME, not the caller clock', async () => {
    const limiter = await limiterOn();
    const [seconds] = await admin.time();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2001-01-01T00:00:00Z'));
    const decision = await limiter.consume('clock', { limit: 1, windowMs: 60_000 });
    vi.useRealTimers();
    expect(decision.resetAt).toBeGreaterThan(Number(seconds) * 1000);
    expect(decision.resetAt).toBeLessThanOrEqual(Number(seconds) * 1000 + 62_000);
  });

  it('reset() forgets a key under every policy but no other key', async () => {
    const limiter = await limiterOn();
    const one = { limit: 1, windowMs: 60_000 };
    const two = { limit: 2, windowMs: 60_000, burst: 1 };
    for (const k of ['a*', 'a*:x']) {
      await limiter.consume(k, one);
      await limiter.consume(k, two);
    }
    await limiter.reset('a*');
    expect((await limiter.consume('a*', one)).allowed).toBe(true);
    expect((await limiter.consume('a*', two)).allowed).toBe(true);
    expect((await limiter.consume('a*:x', one)).allowed).toBe(false);
  });

  it.each([
    ['a zero limit', { limit: 0, windowMs: 1000 }],
    ['a negative window', { limit: 1, windowMs: -1 }],
    ['a fractional burst', { limit: 1, windowMs: 1000, burst: 1.5 }],
  ])('rejects %s with a ConfigurationError before touching Redis', async (_label, rule) => {
    const limiter = await limiterOn();
    await expect(limiter.consume('bad', rule)).rejects.toThrow(/rate-limit rule/);
  });

  it('rejects with LimiterUnavailableError when the client is not connected', async () => {
    const client = createRedisClient('redis://127.0.0.1:1', { connectTimeoutMs: 100 });
    clients.push(client);
    const limiter = new RedisRateLimiter({ client });
    const started = performance.now();
    await expect(limiter.consume('x', { limit: 1, windowMs: 1000 })).rejects.toBeInstanceOf(
      LimiterUnavailableError,
    );
    expect(performance.now() - started).toBeLessThan(250);
  });
});
