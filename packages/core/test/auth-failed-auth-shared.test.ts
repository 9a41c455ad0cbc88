import {
  FailedAuthLimiter,
  LimiterUnavailableError,
  MemoryKeyStore,
  MemoryRateLimiter,
  createAuthenticator,
  generateApiKey,
  type AuthRequest,
  type AuthResult,
  type Authenticator,
  type AuthenticatorOptions,
  type Logger,
  type RateLimitDecision,
  type RateLimiter,
} from '@claude-auth/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const START = Date.UTC(2025, 5, 15, 12, 0, 0);
const ADDRESS = '203.0.113.7';
const BUCKET = `failed-auth:${ADDRESS}`;
/** The shared bucket the pipeline counts well-formed unknown keys from ADDRESS in. */
const PIPELINE_BUCKET = `failed-auth:well-formed:${ADDRESS}`;

type LogFn = (message: string, meta?: Record<string, unknown>) => void;
function testLogger() {
  return { warn: vi.fn<LogFn>(), error: vi.fn<LogFn>(), info: vi.fn<LogFn>() } satisfies Logger;
}

function request(secret: string, ip = ADDRESS): AuthRequest {
  return {
    method: 'GET',
    url: '/v1/models',
    headers: { 'anthropic-version': '2023-06-01', 'x-api-key': secret },
    ip,
  };
}

function status(result: AuthResult): number {
  return result.ok ? 200 : result.error.status;
}

const open: Authenticator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

/** `instances` authenticators on one key store and one clock: a model of a deployment. */
async function deployment(
  instances: number,
  options: AuthenticatorOptions | ((now: () => number) => AuthenticatorOptions) = {},
) {
  let t = START;
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const given = typeof options === 'function' ? options(clock.now) : options;
  const store = new MemoryKeyStore({ now: () => new Date(t) });
  const logger = testLogger();
  const auths = Array.from({ length: instances }, () => {
    const auth = createAuthenticator({ store, now: clock.now, logger, ...given });
    open.push(auth);
    return auth;
  });
  const { secret } = await auths[0]!.keys.createKey({ name: 'valid' });
  /** One request on instance `i`, then waits for its failure (if any) to reach the shared count. */
  async function send(i: number, key: string, ip = ADDRESS): Promise<number> {
    const auth = auths[i]!;
    const result = await auth.authenticate(request(key, ip));
    await auth.failedAuth?.flush();
    return status(result);
  }
  return { auths, clock, logger, secret, send, limiter: given.rateLimiter };
}

describe('failed attempts counted through the configured rate limiter', () => {
  const MAX = 6;

  it('without a given limiter, each instance counts alone: N instances allow N × the limit', async () => {
    const d = await deployment(2, { failedAuth: { maxPerMinute: MAX } });
    const statuses: number[] = [];
    for (let i = 0; i < 2 * MAX + 2; i++) statuses.push(await d.send(i % 2, generateApiKey()));
    expect(statuses.filter((s) => s === 401)).toHaveLength(2 * MAX);
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

  it('with one shared limiter, failures spread over two instances reach the limit once in total', async () => {
    const d = await deployment(2, (now) => ({
      failedAuth: { maxPerMinute: MAX },
      rateLimiter: new MemoryRateLimiter({ now }),
    }));
    const shared = d.limiter as MemoryRateLimiter;
    const rule = { limit: MAX, windowMs: 60_000 };

    const statuses: number[] = [];
    for (let i = 0; i < 2 * MAX + 2; i++) statuses.push(await d.send(i % 2, generateApiKey()));
    // MAX failures fit the shared count; the next one, on instance 0, is still answered (the
    // shared answer arrives after the 401) and blocks the address there; instance 1 learns of
    // the block from its own next failure. So at most MAX + (instances) 401s, then 429s.
    expect(statuses).toEqual([...Array<number>(MAX + 2).fill(401), 429, 429, 429, 429, 429, 429]);
    expect(shared.peek(PIPELINE_BUCKET, rule).allowed).toBe(false);

    // Bad keys are refused by both now, until the shared count lets one more failure in.
    const blocked = await d.auths[1]!.authenticate(request(generateApiKey()));
    expect(status(blocked)).toBe(429);
    const wait = shared.peek(PIPELINE_BUCKET, rule).retryAfterMs;
    expect(Number(blocked.headers['retry-after'])).toBe(Math.ceil(wait / 1000));
    expect(await d.send(0, generateApiKey())).toBe(429);
    // A valid key from the same address is never refused for the address's failures.
    expect(await d.send(0, d.secret)).toBe(200);
    expect(await d.send(1, d.secret)).toBe(200);
    // Other addresses are unaffected.
    expect(await d.send(0, generateApiKey(), '198.51.100.1')).toBe(401);

    d.clock.advance(wait);
    expect(await d.send(0, generateApiKey())).toBe(401);
  });

  it('an instance accepts a blocked address until it observes one failure of it', async () => {
    const d = await deployment(2, (now) => ({
      failedAuth: { maxPerMinute: 3 },
      rateLimiter: new MemoryRateLimiter({ now }),
    }));
    // Three failures on instance 0: the shared count is full, and instance 0 refuses (its own).
    for (let i = 0; i < 3; i++) expect(await d.send(0, generateApiKey())).toBe(401);
    expect(await d.send(0, generateApiKey())).toBe(429);
    expect(await d.send(0, d.secret)).toBe(200);
    // Instance 1 has seen no failure of the address: it learns of the block from its first one.
    expect(await d.send(1, generateApiKey())).toBe(401);
    expect(await d.send(1, generateApiKey())).toBe(429);
    expect(await d.send(1, d.secret)).toBe(200);
  });

  it('one instance with a given limiter still refuses exactly at the limit, no round trip needed', async () => {
    const d = await deployment(1, (now) => ({
      failedAuth: { maxPerMinute: 3 },
      rateLimiter: new MemoryRateLimiter({ now }),
    }));
    const results = [];
    // Not awaiting the shared answers between requests: the local count alone decides.
    for (let i = 0; i < 3; i++) results.push(d.auths[0]!.authenticate(request(generateApiKey())));
    expect((await Promise.all(results)).map(status)).toEqual([401, 401, 401]);
    const refused = await d.auths[0]!.authenticate(request(generateApiKey()));
    expect([status(refused), refused.headers['retry-after']]).toEqual([429, '20']);
    expect(status(await d.auths[0]!.authenticate(request(d.secret)))).toBe(200);
  });

  it('with the default limiter, counts in process only, exactly as before (nothing counted twice)', async () => {
    const d = await deployment(1, { failedAuth: { maxPerMinute: 3 } });
    const auth = d.auths[0]!;
    expect(auth.options.ownsRateLimiter).toBe(true);
    expect(auth.options.rateLimiter).toBeInstanceOf(MemoryRateLimiter);
    for (let i = 0; i < 3; i++) expect(await d.send(0, generateApiKey())).toBe(401);
    expect((auth.options.rateLimiter as MemoryRateLimiter).size).toBe(0);
    const refused = await auth.authenticate(request(generateApiKey()));
    expect([status(refused), refused.headers['retry-after']]).toEqual([429, '20']);
    d.clock.advance(20_000);
    expect(await d.send(0, generateApiKey())).toBe(401);
  });

  it('ignores shadow mode: failed attempts are always enforced', async () => {
    const d = await deployment(2, (now) => ({
      failedAuth: { maxPerMinute: 2 },
      rateLimiter: new MemoryRateLimiter({ now }),
      rateLimit: { shadow: true },
    }));
    for (let i = 0; i < 3; i++) expect(await d.send(i % 2, generateApiKey())).toBe(401);
    expect(await d.send(0, generateApiKey())).toBe(429);
  });

  const rejecting: RateLimiter = {
    consume: () => Promise.reject(new LimiterUnavailableError('connection refused')),
  };
  const throwing: RateLimiter = {
    consume: () => {
      throw new LimiterUnavailableError('connection refused');
    },
  };
  const hanging: RateLimiter = {
    consume: () => new Promise<RateLimitDecision>(() => undefined),
  };

  it.each([
    ['rejects', rejecting, 1],
    ['throws synchronously', throwing, 1],
    ['never answers', hanging, 0],
  ])(
    'a limiter that %s: failures still counted locally, 401s unchanged, one warning at most',
    async (_name, limiter, warnings) => {
      const d = await deployment(1, { failedAuth: { maxPerMinute: 3 }, rateLimiter: limiter });
      const auth = d.auths[0]!;
      for (let i = 0; i < 3; i++) {
        const result = await auth.authenticate(request(generateApiKey()));
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect([result.error.status, result.error.type]).toEqual([401, 'invalid_api_key']);
      }
      if (limiter !== hanging) await auth.failedAuth?.flush();
      const refused = await auth.authenticate(request(generateApiKey()));
      expect([status(refused), refused.headers['retry-after']]).toEqual([429, '20']);
      expect(d.logger.warn).toHaveBeenCalledTimes(warnings);
      if (warnings > 0)
        expect(d.logger.warn.mock.calls[0]![0]).toMatch(/unavailable for failed attempts/);
    },
  );
});

describe('FailedAuthLimiter with a shared limiter', () => {
  const rule = { limit: 3, windowMs: 60_000 };

  function fixture() {
    let t = START;
    const now = (): number => t;
    const shared = new MemoryRateLimiter({ now });
    const logger = testLogger();
    const limiter = new FailedAuthLimiter({ maxPerMinute: 3, now, shared, logger });
    return { limiter, shared, logger, advance: (ms: number) => void (t += ms) };
  }

  it('turns mayRefuse() true when the shared count blocks an address, until the block ends', async () => {
    const f = fixture();
    for (let i = 0; i < 3; i++) await f.shared.consume(BUCKET, rule); // other instances' failures
    expect(f.limiter.mayRefuse()).toBe(false);
    f.limiter.record(ADDRESS);
    expect(f.limiter.check(ADDRESS).allowed).toBe(true); // the answer is not in yet
    await f.limiter.flush();
    expect(f.limiter.mayRefuse()).toBe(true);
    const gate = f.limiter.check(ADDRESS);
    expect(gate.allowed).toBe(false);
    // Never earlier than the shared limiter would accept the address again.
    expect(gate.retryAfterMs).toBeGreaterThanOrEqual(f.shared.peek(BUCKET, rule).retryAfterMs);
    expect(f.limiter.check('198.51.100.1').allowed).toBe(true);
    f.advance(gate.retryAfterMs);
    expect(f.limiter.check(ADDRESS).allowed).toBe(true);
    expect(f.limiter.mayRefuse()).toBe(false);
  });

  it('reports the later of the local and the shared wait', async () => {
    const f = fixture();
    for (let i = 0; i < 3; i++) await f.shared.consume(BUCKET, rule); // other instances' failures
    f.advance(10_000);
    f.limiter.record(ADDRESS);
    f.limiter.record(ADDRESS);
    await f.limiter.flush();
    // Local count 2 of 3: allowed here; the shared count is over until 20 s after START.
    expect([f.limiter.check(ADDRESS).allowed, f.limiter.check(ADDRESS).retryAfterMs]).toEqual([
      false,
      10_000,
    ]);
    f.limiter.record(ADDRESS);
    await f.limiter.flush();
    // Local count 3 of 3: the local wait (20 s) is now the later one.
    expect(f.limiter.check(ADDRESS).retryAfterMs).toBe(20_000);
    expect(f.logger.warn).not.toHaveBeenCalled();
  });

  it('warns once per outage and notes the recovery', async () => {
    let down = true;
    const inner = new MemoryRateLimiter({ now: () => START });
    const shared: RateLimiter = {
      consume: (key, r) =>
        down ? Promise.reject(new LimiterUnavailableError()) : inner.consume(key, r),
    };
    const logger = testLogger();
    const limiter = new FailedAuthLimiter({ maxPerMinute: 100, now: () => START, shared, logger });
    for (let i = 0; i < 5; i++) limiter.record(`a${i}`);
    await limiter.flush();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(logger.warn.mock.calls)).not.toMatch(/a\d/);
    down = false;
    limiter.record('b');
    await limiter.flush();
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(inner.size).toBe(1);
  });
});
