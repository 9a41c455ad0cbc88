import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MemoryKeyStore,
  createAuthenticator,
  generateApiKey,
  type AuthRequest,
  type Authenticator,
  type AuthenticatorOptions,
  type KeyStore,
} from '@claude-auth/core';

const open: Authenticator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

/** A real MemoryKeyStore behind a proxy that counts calls. */
function counted(inner: KeyStore): { store: KeyStore; calls: () => number } {
  let calls = 0;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls: () => calls };
}

async function setup(options: AuthenticatorOptions = {}) {
  const { store, calls } = counted(new MemoryKeyStore());
  const logger = { warn: vi.fn(), error: vi.fn() };
  const auth = createAuthenticator({ store, logger, ...options });
  open.push(auth);
  const { secret } = await auth.keys.createKey({ name: 'k' });
  return { auth, secret, calls, logger };
}

const bearer = (
  token: string,
  extra: Record<string, string> = {},
  ip = '198.51.100.9',
): AuthRequest => ({
  method: 'GET',
  url: '/v1/models',
  headers: { authorization: `Bearer ${token}`, 'anthropic-version': '2026-10-21', ...extra },
  ip,
});

describe('a key in Authorization: Bearer goes through the same pipeline', () => {
  it('is accepted, with the same auth as x-api-key, from the verification cache the second time', async () => {
    const f = await setup();
    const first = await f.auth.authenticate(bearer(f.secret));
    expect(first.ok).toBe(true);
    const hits = f.auth.cache?.stats().hits ?? 0;
    const second = await f.auth.authenticate({
      method: 'GET',
      url: '/v1/models',
      headers: { 'x-api-key': f.secret, 'anthropic-version': '2023-06-01' },
    });
    expect(second.ok && second.auth.keyName).toBe('k');
    expect(f.auth.cache?.stats().hits).toBe(hits + 1);
  });

  it('refuses a bad checksum before any store call', async () => {
    const f = await setup();
    const before = f.calls();
    const tampered = `${f.secret.slice(0, -1)}${f.secret.endsWith('A') ? 'B' : 'A'}`;
    const result = await f.auth.authenticate(bearer(tampered));
    expect(result.ok || result.error.status).toBe(401);
    expect(f.calls()).toBe(before);
  });

  it('counts bearer failures against the address (failed-attempt gate)', async () => {
    const f = await setup({ failedAuth: { maxPerMinute: 2 } });
    for (let i = 0; i < 2; i++) {
      const r = await f.auth.authenticate(bearer(generateApiKey()));
      expect(r.ok || r.error.status).toBe(401);
    }
    const blocked = await f.auth.authenticate(bearer(generateApiKey()));
    expect(blocked.ok || blocked.error.status).toBe(429);
    // A valid key from that address is never refused for its failures (issue 13, defect 2).
    expect((await f.auth.authenticate(bearer(f.secret))).ok).toBe(true);
  });

  it.each([
    ['different keys in both headers', (s: string) => bearer(s, { 'x-api-key': generateApiKey() })],
    ['an empty bearer', () => bearer('')],
    [
      'another scheme and no x-api-key',
      () => ({
        ...bearer(''),
        headers: { authorization: 'Basic dTpw', 'anthropic-version': '2023-06-01' },
      }),
    ],
  ])('answers %s with the uniform invalid-key 401', async (_name, make) => {
    const f = await setup();
    const result = await f.auth.authenticate(make(f.secret));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.toJSON()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_api_key', message: 'Invalid API key' },
    });
    expect(JSON.stringify(result.error.toJSON())).not.toContain(f.secret.slice(-12));
  });

  it('accepts the same key in both headers', async () => {
    const f = await setup();
    expect((await f.auth.authenticate(bearer(f.secret, { 'x-api-key': f.secret }))).ok).toBe(true);
  });

  it("names both headers when none is sent, only x-api-key under credentials: ['x-api-key']", async () => {
    const none: AuthRequest = {
      method: 'GET',
      url: '/v1/models',
      headers: { 'anthropic-version': '2023-06-01' },
    };
    const both = await (await setup()).auth.authenticate(none);
    expect(!both.ok && both.error.message).toBe(
      'Missing API key: send it in the x-api-key header or as Authorization: Bearer <key>',
    );
    const strict = await setup({ credentials: ['x-api-key'] });
    const refused = await strict.auth.authenticate(bearer(strict.secret));
    expect(!refused.ok && [refused.error.status, refused.error.message]).toStrictEqual([
      401,
      'Missing API key: send it in the x-api-key header',
    ]);
  });
});

describe('versions from the registry', () => {
  const get = (secret: string, version: string): AuthRequest => ({
    method: 'GET',
    url: '/v1/models',
    headers: { 'x-api-key': secret, 'anthropic-version': version },
  });

  it('accepts 2026-10-21 and 2023-06-01 without a deprecation header', async () => {
    const f = await setup();
    for (const version of ['2026-10-21', '2023-06-01']) {
      const result = await f.auth.authenticate(get(f.secret, version));
      expect(result.ok && result.auth.version).toBe(version);
      expect(result.headers.deprecation).toBeUndefined();
    }
  });

  it('refuses unknown and retired versions naming the supported ones', async () => {
    const f = await setup({ versions: { '2023-01-01': { status: 'retired' } } });
    for (const version of ['2023-01-01', '2024-01-01']) {
      const result = await f.auth.authenticate(get(f.secret, version));
      expect(
        !result.ok && [result.error.status, result.error.type, result.error.message],
      ).toStrictEqual([
        400,
        'invalid_request_error',
        'anthropic-version header is missing or names an unknown or retired version; supported versions: 2026-10-21, 2023-06-01',
      ]);
    }
  });

  it('sends deprecation and sunset for a dated deprecated version, and warns once', async () => {
    const f = await setup({
      versions: {
        '2027-01-01': { status: 'current' },
        '2026-10-21': { status: 'deprecated', deprecatedAt: '2026-11-01', sunsetAt: '2099-01-01' },
      },
    });
    const first = await f.auth.authenticate(bearer(f.secret));
    await f.auth.authenticate(get(f.secret, '2026-10-21'));
    expect(first.ok).toBe(true);
    expect(first.headers).toMatchObject({
      deprecation: `@${Date.parse('2026-11-01T00:00:00Z') / 1000}`,
      sunset: 'Thu, 01 Jan 2099 00:00:00 GMT',
    });
    expect(f.logger.warn).toHaveBeenCalledTimes(1);
    // The log names the version and the key id, never the key (here sent as a bearer token).
    expect(JSON.stringify(f.logger.warn.mock.calls)).not.toContain(f.secret.slice(-12));
    expect(f.logger.warn.mock.calls[0]![1]).toMatchObject({ version: '2026-10-21' });
    expect((await f.auth.authenticate(get(f.secret, '2027-01-01'))).ok).toBe(true);
  });
});
