import {
  FailedAuthLimiter,
  MemoryKeyStore,
  createAuthenticator,
  generateApiKey,
  isClaudeAuthError,
  toLazyAuthRequest,
  type AuthRequest,
  type RequestLike,
} from '@claude-auth/core';
import { afterEach, describe, expect, it } from 'vitest';

const START = Date.UTC(2025, 5, 15, 12, 0, 0);

/** A request whose `ip` getter counts its reads, like Express's (which parses headers). */
function countingRequest(secret: string | undefined, address = '203.0.113.7') {
  const reads = { ip: 0 };
  const req: RequestLike = {
    method: 'GET',
    url: '/v1/models',
    headers: {
      'anthropic-version': '2023-06-01',
      ...(secret === undefined ? {} : { 'x-api-key': secret }),
    },
    get ip() {
      reads.ip++;
      return address;
    },
  };
  return { req, reads };
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

async function setup(maxPerMinute: number) {
  let t = START;
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const auth = createAuthenticator({
    store: new MemoryKeyStore({ now: () => new Date(t) }),
    now: clock.now,
    failedAuth: { maxPerMinute },
    logger: { warn: () => undefined, error: () => undefined },
  });
  open.push(auth);
  const { secret } = await auth.keys.createKey({ name: 'valid' });
  return { auth, clock, secret };
}

describe('toLazyAuthRequest', () => {
  it.each([
    [
      'Express-like',
      { method: 'POST', url: '/m', originalUrl: '/v1/m?x=1', headers: { a: 'b' }, ip: '10.0.0.1' },
      'POST',
      '/v1/m?x=1',
      '10.0.0.1',
    ],
    [
      'Node-like',
      { method: 'GET', url: '/v1/models', headers: {}, socket: { remoteAddress: '::1' } },
      'GET',
      '/v1/models',
      '::1',
    ],
    ['empty address', { headers: {}, ip: '' }, 'GET', '/', undefined],
    ['bare', { headers: {} }, 'GET', '/', undefined],
  ])('%s', (_name, input: RequestLike, method, url, ip) => {
    const request = toLazyAuthRequest(input);
    expect([request.method, request.url, request.headers, request.ip]).toEqual([
      method,
      url,
      input.headers,
      ip,
    ]);
  });

  it('reads the address only when asked, and once', () => {
    const { req, reads } = countingRequest('k');
    const request = toLazyAuthRequest(req);
    expect(reads.ip).toBe(0);
    expect(request.ip).toBe('203.0.113.7');
    expect(request.ip).toBe('203.0.113.7');
    expect(reads.ip).toBe(1);
  });

  it('takes an assigned address', () => {
    const request: AuthRequest = toLazyAuthRequest({ headers: {}, ip: '10.0.0.1' });
    request.ip = '10.0.0.2';
    expect(request.ip).toBe('10.0.0.2');
  });
});

describe('FailedAuthLimiter.mayRefuse', () => {
  it('turns true only once an address can be refused, and false again a minute later', () => {
    let t = START;
    const limiter = new FailedAuthLimiter({ maxPerMinute: 3, now: () => t });
    expect(limiter.mayRefuse()).toBe(false);
    limiter.record('a');
    limiter.record('b');
    expect(limiter.mayRefuse()).toBe(false);
    limiter.record('a');
    limiter.record('a');
    expect(limiter.check('a').allowed).toBe(false);
    expect(limiter.mayRefuse()).toBe(true);
    t += 60_000;
    expect(limiter.check('a').allowed).toBe(true);
    expect(limiter.mayRefuse()).toBe(false);
  });

  it.each([1, 2, 7, 20])('never says false while check() refuses (limit %i)', (limit) => {
    let t = START;
    const limiter = new FailedAuthLimiter({ maxPerMinute: limit, now: () => t });
    for (let step = 0; step < 200; step++) {
      if (step % 3 === 0) limiter.record('x');
      if (!limiter.check('x').allowed) expect(limiter.mayRefuse()).toBe(true);
      t += 997;
    }
  });
});

describe('the failed-attempts gate on the hot path', () => {
  it('never reads the client address of an accepted request while no address is near its limit', async () => {
    const f = await setup(3);
    for (let i = 0; i < 5; i++) {
      const { req, reads } = countingRequest(f.secret);
      expect((await f.auth.authenticate(toLazyAuthRequest(req))).ok).toBe(true);
      expect(reads.ip).toBe(0);
    }
  });

  it('reads it for a failure only: never for an accepted request, even while an address is refused', async () => {
    const f = await setup(2);
    const bad = countingRequest(generateApiKey());
    expect((await f.auth.authenticate(toLazyAuthRequest(bad.req))).ok).toBe(false);
    expect(bad.reads.ip).toBe(1);
    await f.auth.authenticate(toLazyAuthRequest(countingRequest(generateApiKey()).req));

    const refused = countingRequest(generateApiKey());
    const result = await f.auth.authenticate(toLazyAuthRequest(refused.req));
    expect(result.ok ? 200 : result.error.status).toBe(429);
    const valid = countingRequest(f.secret);
    expect((await f.auth.authenticate(toLazyAuthRequest(valid.req))).ok).toBe(true);
    expect(valid.reads.ip).toBe(0);
  });
});

describe('stack traces', () => {
  it('builds expected refusals without one, and restores the limit', async () => {
    const f = await setup(100);
    const before = Error.stackTraceLimit;
    const result = await f.auth.authenticate(
      toLazyAuthRequest(countingRequest(generateApiKey()).req),
    );
    expect(Error.stackTraceLimit).toBe(before);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(isClaudeAuthError(result.error)).toBe(true);
    expect(result.error).toBeInstanceOf(Error);
    expect(String(result.error.stack)).not.toMatch(/\n\s+at /);
  });

  it('keeps the cause of an unexpected failure, stack and all', async () => {
    const f = await setup(100);
    const result = await f.auth.authenticate(toLazyAuthRequest(countingRequest(f.secret).req), {
      workspace: () => {
        throw new Error('resolver bug');
      },
    });
    expect(result.ok ? 200 : result.error.status).toBe(500);
    if (result.ok) return;
    expect(String((result.error.cause as Error).stack)).toMatch(/\n\s+at /);
  });
});
