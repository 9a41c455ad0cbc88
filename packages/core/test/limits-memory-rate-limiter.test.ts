import { MemoryRateLimiter, ConfigurationError } from '@claude-auth/core';
import { FallbackRateLimiter } from '../src/limits/fallback-rate-limiter.js';
import { LimiterUnavailableError } from '../src/limits/rate-limiter.js';
import type { Logger, RateLimiter, RateLimitRule } from '@claude-auth/core';
import { runRateLimiterConformance } from '../../testing/src/rate-limiter-conformance.js';
import { describe, expect, it, vi } from 'vitest';

runRateLimiterConformance('MemoryRateLimiter', async () => ({ limiter: new MemoryRateLimiter() }));
runRateLimiterConformance('FallbackRateLimiter (primary down)', async () => ({
  limiter: new FallbackRateLimiter({
    primary: { consume: () => Promise.reject(new LimiterUnavailableError()) },
    logger: { warn: () => undefined, error: () => undefined },
  }),
}));

function clock(start = Date.UTC(2025, 0, 1)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('MemoryRateLimiter (GCRA, fake clock)', () => {
  it.each([
    [1, 1],
    [3, 3],
    [7, 7],
    [60, 60],
    [1000, 1000],
    [10, 3],
  ])('limit %i burst %i: exactly burst of 5×burst instantaneous requests pass', (limit, burst) => {
    const c = clock();
    const limiter = new MemoryRateLimiter({ now: c.now });
    const rule: RateLimitRule = { limit, windowMs: 60_000, burst };
    let allowed = 0;
    for (let i = 0; i < burst * 5; i++) if (limiter.consumeSync('k', rule).allowed) allowed++;
    expect(allowed).toBe(burst);
  });

  it('a refusal just before the next refill reports remaining 0, never 1', () => {
    // 50 per minute: one refill every 1200 ms. A refusal a few hundred nanoseconds before the
    // refill used to round its remaining up to 1 (the slack was added to the ratio, not the time).
    const c = clock();
    const limiter = new MemoryRateLimiter({ now: c.now });
    const rule: RateLimitRule = { limit: 50, windowMs: 60_000 };
    for (let i = 0; i < 50; i++) expect(limiter.consumeSync('k', rule).allowed).toBe(true);
    c.advance(1200 - 0.0005);
    const refused = limiter.consumeSync('k', rule);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    c.advance(0.0005);
    expect(limiter.consumeSync('k', rule)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('refills one request per windowMs / limit and retryAfterMs is exact (never early)', () => {
    const c = clock();
    const limiter = new MemoryRateLimiter({ now: c.now });
    const rule: RateLimitRule = { limit: 6, windowMs: 60_000 }; // one per 10 s
    for (let i = 0; i < 6; i++) expect(limiter.consumeSync('k', rule).allowed).toBe(true);
    const refused = limiter.consumeSync('k', rule);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 10_000 });
    c.advance(9_999);
    expect(limiter.consumeSync('k', rule).allowed).toBe(false);
    c.advance(1);
    const again = limiter.consumeSync('k', rule);
    expect(again).toMatchObject({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });

  it('reports resetAt as the time the bucket is full again', () => {
    const c = clock();
    const limiter = new MemoryRateLimiter({ now: c.now });
    const d = limiter.consumeSync('k', { limit: 4, windowMs: 60_000 });
    expect(d.resetAt).toBe(c.now() + 15_000);
    expect(d.remaining).toBe(3);
  });

  it('peek decides without consuming', () => {
    const c = clock();
    const limiter = new MemoryRateLimiter({ now: c.now });
    const rule: RateLimitRule = { limit: 1, windowMs: 1_000 };
    expect(limiter.peek('k', rule).allowed).toBe(true);
    expect(limiter.peek('k', rule).allowed).toBe(true);
    limiter.consumeSync('k', rule);
    expect(limiter.peek('k', rule).allowed).toBe(false);
  });

  it('sweeps expired entries so memory stays bounded', () => {
    const c = clock();
    const limiter = new MemoryRateLimiter({ now: c.now, sweepIntervalMs: 1_000 });
    for (let i = 0; i < 1_000; i++) limiter.consumeSync(`k${i}`, { limit: 10, windowMs: 1_000 });
    expect(limiter.size).toBe(1_000);
    c.advance(1_001);
    limiter.consumeSync('fresh', { limit: 10, windowMs: 1_000 });
    expect(limiter.size).toBe(1);
  });

  it('sweeps at once past maxEntries, without rescanning on every call', () => {
    const c = clock();
    const limiter = new MemoryRateLimiter({ now: c.now, maxEntries: 100 });
    for (let i = 0; i < 100; i++) limiter.consumeSync(`old${i}`, { limit: 1, windowMs: 10 });
    c.advance(20);
    for (let i = 0; i < 50; i++) limiter.consumeSync(`new${i}`, { limit: 1, windowMs: 60_000 });
    expect(limiter.size).toBeLessThanOrEqual(51);
  });

  it.each([
    [{ limit: 0, windowMs: 1_000 }],
    [{ limit: 1.5, windowMs: 1_000 }],
    [{ limit: 1, windowMs: 0 }],
    [{ limit: 1, windowMs: Number.NaN }],
    [{ limit: 1, windowMs: 1_000, burst: 0 }],
  ])('refuses a bad rule %j with ConfigurationError', (rule) => {
    const limiter = new MemoryRateLimiter();
    expect(() => limiter.consumeSync('k', rule)).toThrow(ConfigurationError);
  });

  it('refuses a cost above burst, with a finite retryAfterMs', () => {
    const limiter = new MemoryRateLimiter();
    const d = limiter.consumeSync('k', { limit: 2, windowMs: 1_000 }, 5);
    expect(d.allowed).toBe(false);
    expect(Number.isFinite(d.retryAfterMs)).toBe(true);
  });
});

describe('FallbackRateLimiter', () => {
  const rule: RateLimitRule = { limit: 2, windowMs: 60_000 };

  type LogFn = (message: string, meta?: Record<string, unknown>) => void;
  function logger() {
    return { warn: vi.fn<LogFn>(), error: vi.fn<LogFn>(), info: vi.fn<LogFn>() } satisfies Logger;
  }

  it('uses the primary while it works', async () => {
    const primary = new MemoryRateLimiter();
    const limiter = new FallbackRateLimiter({ primary, logger: logger() });
    await limiter.consume('k', rule);
    expect(primary.size).toBe(1);
    expect(limiter.degraded).toBe(false);
  });

  it('falls back to a per-process limiter and warns once per outage', async () => {
    let down = true;
    const primary: RateLimiter = {
      consume: async (key, r, cost) => {
        if (down) throw new LimiterUnavailableError();
        return new MemoryRateLimiter().consume(key, r, cost);
      },
    };
    const log = logger();
    const limiter = new FallbackRateLimiter({ primary, logger: log });
    const decisions = await Promise.all(
      Array.from({ length: 5 }, () => limiter.consume('k', rule)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(2);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(limiter.degraded).toBe(true);
    down = false;
    expect((await limiter.consume('k', rule)).allowed).toBe(true);
    expect(limiter.degraded).toBe(false);
    expect(log.info).toHaveBeenCalledTimes(1);
  });
});
