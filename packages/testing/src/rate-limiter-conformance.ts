import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimiter, RateLimitRule } from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** What a conformance factory returns: the limiter under test and how to dispose of it. */
export interface RateLimiterFixture {
  limiter: RateLimiter;
  cleanup?: () => Promise<void>;
}

/**
 * The shared `RateLimiter` conformance suite: every implementation (memory, Redis, ...) must pass
 * it. It runs against the real clock with short windows (a few hundred ms), so it works for
 * limiters that keep time on a server. Every key is unique per run.
 *
 * Covers exactness at the boundary (N of many simultaneous requests), refill over time,
 * `retryAfterMs` never earlier than the real reset, independent keys, burst, cost, `remaining`,
 * `resetAt` and `reset`.
 *
 * @example
 * ```ts
 * import { MemoryRateLimiter } from '@claude-auth/core';
 * import { runRateLimiterConformance } from '@claude-auth/testing';
 *
 * runRateLimiterConformance('MemoryRateLimiter', async () => ({ limiter: new MemoryRateLimiter() }));
 * ```
 */
export function runRateLimiterConformance(
  name: string,
  factory: () => Promise<RateLimiterFixture>,
): void {
  describe(`RateLimiter conformance: ${name}`, () => {
    let fixture: RateLimiterFixture;
    let limiter: RateLimiter;
    const run = randomUUID().slice(0, 8);
    let counter = 0;
    const key = (label: string): string => `conformance:${run}:${label}:${++counter}`;

    beforeAll(async () => {
      fixture = await factory();
      limiter = fixture.limiter;
    });

    afterAll(async () => {
      await fixture?.cleanup?.();
    });

    it.each([1, 5, 10, 50])(
      'lets exactly %i of 4×N simultaneous requests through (limit N, burst N)',
      async (n) => {
        const rule: RateLimitRule = { limit: n, windowMs: 60_000, burst: n };
        const k = key('exact');
        const decisions = await Promise.all(
          Array.from({ length: n * 4 }, () => limiter.consume(k, rule)),
        );
        expect(decisions.filter((d) => d.allowed)).toHaveLength(n);
        for (const d of decisions) {
          expect(d.limit).toBe(n);
          if (!d.allowed) expect(d.retryAfterMs).toBeGreaterThan(0);
          else expect(d.retryAfterMs).toBe(0);
        }
      },
    );

    it('lets only `burst` of many simultaneous requests through when burst < limit', async () => {
      const k = key('burst');
      const decisions = await Promise.all(
        Array.from({ length: 20 }, () =>
          limiter.consume(k, { limit: 10, windowMs: 60_000, burst: 3 }),
        ),
      );
      expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    });

    it('counts down `remaining` and reports it as 0 when refused', async () => {
      const k = key('remaining');
      const rule: RateLimitRule = { limit: 3, windowMs: 60_000 };
      const seen: number[] = [];
      for (let i = 0; i < 4; i++) seen.push((await limiter.consume(k, rule)).remaining);
      expect(seen).toEqual([2, 1, 0, 0]);
    });

    it('reports resetAt in the future (epoch ms) and not beyond one window', async () => {
      const before = Date.now();
      const d = await limiter.consume(key('reset-at'), { limit: 2, windowMs: 10_000 });
      expect(d.allowed).toBe(true);
      expect(d.resetAt).toBeGreaterThanOrEqual(before);
      expect(d.resetAt).toBeLessThanOrEqual(Date.now() + 10_000 + 1_000);
    });

    it('keeps keys independent', async () => {
      const rule: RateLimitRule = { limit: 1, windowMs: 60_000 };
      const a = key('a');
      const b = key('b');
      expect((await limiter.consume(a, rule)).allowed).toBe(true);
      expect((await limiter.consume(a, rule)).allowed).toBe(false);
      expect((await limiter.consume(b, rule)).allowed).toBe(true);
    });

    it('refills over time: a refused request passes once retryAfterMs has elapsed', async () => {
      const k = key('refill');
      const rule: RateLimitRule = { limit: 2, windowMs: 400 };
      expect((await limiter.consume(k, rule)).allowed).toBe(true);
      expect((await limiter.consume(k, rule)).allowed).toBe(true);
      const refused = await limiter.consume(k, rule);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(200 + 50);
      await sleep(refused.retryAfterMs + 15);
      expect((await limiter.consume(k, rule)).allowed).toBe(true);
    });

    it('never announces a retry earlier than the real reset', async () => {
      const k = key('early');
      const rule: RateLimitRule = { limit: 1, windowMs: 600 };
      const started = Date.now();
      expect((await limiter.consume(k, rule)).allowed).toBe(true);
      const refused = await limiter.consume(k, rule);
      expect(refused.allowed).toBe(false);
      // One request per 600 ms: the slot frees 600 ms after the first request, so the announced
      // wait plus the time already elapsed since before that request must cover 600 ms.
      expect(refused.retryAfterMs + (Date.now() - started)).toBeGreaterThanOrEqual(599);
      // Asking again well before the announced time is still refused.
      await sleep(Math.max(0, refused.retryAfterMs - 250));
      expect((await limiter.consume(k, rule)).allowed).toBe(false);
    });

    it('charges `cost` units at once', async () => {
      const k = key('cost');
      const rule: RateLimitRule = { limit: 5, windowMs: 60_000 };
      const first = await limiter.consume(k, rule, 3);
      expect(first.allowed).toBe(true);
      expect(first.remaining).toBe(2);
      expect((await limiter.consume(k, rule, 3)).allowed).toBe(false);
      expect((await limiter.consume(k, rule, 2)).allowed).toBe(true);
    });

    it('forgets a key on reset()', async () => {
      if (limiter.reset === undefined) return;
      const k = key('reset');
      const rule: RateLimitRule = { limit: 1, windowMs: 60_000 };
      expect((await limiter.consume(k, rule)).allowed).toBe(true);
      expect((await limiter.consume(k, rule)).allowed).toBe(false);
      await limiter.reset(k);
      expect((await limiter.consume(k, rule)).allowed).toBe(true);
    });
  });
}
