import {
  ConfigurationError,
  InvalidApiKeyError,
  LimiterUnavailableError,
  MemoryKeyStore,
  NotFoundError,
  StoreUnavailableError,
  createAuthenticator,
  generateApiKey,
  resolveAuthenticatorOptions,
  type AuthRequest,
  type AuthResult,
  type Authenticator,
  type AuthenticatorOptions,
  type ErrorVocabulary,
  type KeyStore,
  type Logger,
  type RateLimiter,
  type RouteRequirements,
} from '@claude-auth/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

// --- fixture ------------------------------------------------------------------------------------

const START = Date.UTC(2025, 5, 15, 12, 0, 0);

/** A thin wrapper around the real MemoryKeyStore that counts calls and can be made unreachable. */
function countingStore(inner: KeyStore): {
  store: KeyStore;
  calls: Record<string, number>;
  down: { value: boolean };
} {
  const calls: Record<string, number> = {};
  const down = { value: false };
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        calls[prop] = (calls[prop] ?? 0) + 1;
        if (down.value) return Promise.reject(new StoreUnavailableError('connection refused'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls, down };
}

type LogFn = (message: string, meta?: Record<string, unknown>) => void;
function testLogger() {
  return {
    warn: vi.fn<LogFn>(),
    error: vi.fn<LogFn>(),
    info: vi.fn<LogFn>(),
    debug: vi.fn<LogFn>(),
  } satisfies Logger;
}

const open: Authenticator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

async function setup(options: AuthenticatorOptions = {}) {
  let t = START;
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const counted = countingStore(new MemoryKeyStore({ now: () => new Date(t) }));
  const logger = testLogger();
  const auth = createAuthenticator({ store: counted.store, now: clock.now, logger, ...options });
  open.push(auth);
  const keys = auth.keys;

  const workspace = await keys.createWorkspace({ name: 'Alpha' });
  const other = await keys.createWorkspace({ name: 'Beta' });
  const archivedWs = await keys.createWorkspace({ name: 'Gone' });
  const limitedWs = await keys.createWorkspace({ name: 'Budget', monthlySpendLimitUsd: 1 });
  const org = await keys.createKey({ name: 'org', permissions: ['messages:write'] });
  const star = await keys.createKey({ name: 'star', permissions: ['*'] });
  const wsKey = await keys.createKey({
    name: 'ws',
    workspaceId: workspace.id,
    permissions: ['messages:write'],
  });
  const limitedKey = await keys.createKey({ name: 'limited', workspaceId: limitedWs.id });
  const admin = await keys.createKey({ name: 'admin', kind: 'admin' });
  const slow = await keys.createKey({ name: 'slow', rateLimit: { rpm: 1 } });
  const inactive = await keys.createKey({ name: 'inactive' });
  await keys.setKeyStatus(inactive.key.id, 'inactive');
  const archived = await keys.createKey({ name: 'archived' });
  await keys.archiveKey(archived.key.id);
  const expired = await keys.createKey({ name: 'expired', expiresAt: new Date(t + 1_000) });
  const otherEnv = await keys.createKey({ name: 'test env', environment: 'test' });
  const rotated = await keys.createKey({ name: 'rotated' });
  const oldSecret = rotated.secret;
  await keys.regenerateKey(rotated.key.id, { graceMs: 1_000 });
  await keys.archiveWorkspace(archivedWs.id);
  clock.advance(5_000); // past the expiry and the grace period
  for (const k of Object.keys(counted.calls)) delete counted.calls[k];
  logger.warn.mockClear();

  return {
    auth,
    keys,
    clock,
    logger,
    store: counted.store,
    calls: counted.calls,
    down: counted.down,
    workspace,
    other,
    archivedWs,
    limitedWs,
    secrets: {
      org: org.secret,
      star: star.secret,
      ws: wsKey.secret,
      limited: limitedKey.secret,
      admin: admin.secret,
      slow: slow.secret,
      inactive: inactive.secret,
      archived: archived.secret,
      expired: expired.secret,
      otherEnv: otherEnv.secret,
      rotatedOld: oldSecret,
    },
    ids: { org: org.key.id, ws: wsKey.key.id, slow: slow.key.id },
  };
}

type Fixture = Awaited<ReturnType<typeof setup>>;

function request(
  secret: string | string[] | undefined,
  extra: Partial<AuthRequest> & { headers?: AuthRequest['headers'] } = {},
): AuthRequest {
  const headers: AuthRequest['headers'] = { 'anthropic-version': '2023-06-01', ...extra.headers };
  if (secret !== undefined && !('x-api-key' in (extra.headers ?? {})))
    headers['x-api-key'] = secret;
  return {
    method: extra.method ?? 'GET',
    url: extra.url ?? '/v1/models',
    headers,
    ip: extra.ip ?? '203.0.113.7',
  };
}

function post(secret: string, headers: AuthRequest['headers'] = {}): AuthRequest {
  return request(secret, {
    method: 'POST',
    url: '/v1/messages',
    headers: { 'content-type': 'application/json', 'content-length': '42', ...headers },
  });
}

function badChecksum(secret: string): string {
  const last = secret.at(-1) === 'A' ? 'B' : 'A';
  return secret.slice(0, -1) + last;
}

// --- the DESIGN.md table ------------------------------------------------------------------------

interface ErrorCase {
  name: string;
  status: number;
  spec: string;
  claude: string;
  options?: AuthenticatorOptions;
  prepare?: (f: Fixture) => Promise<void>;
  request: (f: Fixture) => AuthRequest;
  requirements?: (f: Fixture) => RouteRequirements;
  headers?: Record<string, string | RegExp>;
}

const INVALID = { status: 401, spec: 'invalid_api_key', claude: 'authentication_error' } as const;
const FORBIDDEN = { status: 403, spec: 'access_denied', claude: 'permission_error' } as const;
const BAD_REQUEST = {
  status: 400,
  spec: 'invalid_request_error',
  claude: 'invalid_request_error',
} as const;
const LIMITED = { status: 429, spec: 'rate_limit_exceeded', claude: 'rate_limit_error' } as const;

const ERROR_CASES: ErrorCase[] = [
  {
    name: 'no x-api-key header',
    status: 401,
    spec: 'authentication_error',
    claude: 'authentication_error',
    request: () => request(undefined),
  },
  {
    name: 'empty x-api-key header',
    status: 401,
    spec: 'authentication_error',
    claude: 'authentication_error',
    request: () => request(''),
  },
  { name: 'malformed key', ...INVALID, request: () => request('sk-not-a-key') },
  { name: 'bad checksum', ...INVALID, request: (f) => request(badChecksum(f.secrets.org)) },
  { name: 'unknown key', ...INVALID, request: () => request(generateApiKey()) },
  { name: 'revoked (archived) key', ...INVALID, request: (f) => request(f.secrets.archived) },
  { name: 'expired key', ...INVALID, request: (f) => request(f.secrets.expired) },
  { name: 'inactive key', ...INVALID, request: (f) => request(f.secrets.inactive) },
  { name: 'key of another environment', ...INVALID, request: (f) => request(f.secrets.otherEnv) },
  {
    name: 'duplicated header (array)',
    ...INVALID,
    request: (f) => request([f.secrets.org, f.secrets.org]),
  },
  {
    name: 'duplicated header (comma-joined)',
    ...INVALID,
    request: (f) => request(`${f.secrets.org}, ${f.secrets.star}`),
  },
  {
    name: 'previous secret past its grace period',
    ...INVALID,
    request: (f) => request(f.secrets.rotatedOld),
  },
  {
    name: 'key of an archived workspace',
    ...INVALID,
    prepare: async (f) => void (await f.keys.archiveWorkspace(f.workspace.id)),
    request: (f) => request(f.secrets.ws),
  },
  ...['api_key', 'X-Api-Key', 'key', 'apikey', 'ANTHROPIC_API_KEY'].map((param): ErrorCase => ({
    name: `key in the query string (?${param}=)`,
    status: 401,
    spec: 'authentication_error',
    claude: 'authentication_error',
    request: (f) => request(f.secrets.org, { url: `/v1/models?${param}=${f.secrets.org}` }),
  })),
  {
    name: 'anthropic-version missing',
    ...BAD_REQUEST,
    request: (f) => request(f.secrets.org, { headers: { 'anthropic-version': undefined } }),
  },
  {
    name: 'anthropic-version unknown',
    ...BAD_REQUEST,
    request: (f) => request(f.secrets.org, { headers: { 'anthropic-version': '2024-13-01' } }),
  },
  {
    name: 'anthropic-version duplicated',
    ...BAD_REQUEST,
    request: (f) =>
      request(f.secrets.org, { headers: { 'anthropic-version': ['2023-06-01', '2023-06-01'] } }),
  },
  {
    name: 'deprecated version under reject',
    ...BAD_REQUEST,
    options: { versionPolicy: 'reject' },
    request: (f) => request(f.secrets.org, { headers: { 'anthropic-version': '2023-01-01' } }),
  },
  {
    name: 'body with text/plain',
    status: 415,
    spec: 'invalid_request_error',
    claude: 'invalid_request_error',
    request: (f) => post(f.secrets.org, { 'content-type': 'text/plain' }),
  },
  {
    name: 'body without content-type',
    status: 415,
    spec: 'invalid_request_error',
    claude: 'invalid_request_error',
    request: (f) => post(f.secrets.org, { 'content-type': undefined }),
  },
  {
    name: 'chunked body on GET with form content-type',
    status: 415,
    spec: 'invalid_request_error',
    claude: 'invalid_request_error',
    request: (f) =>
      request(f.secrets.org, {
        headers: {
          'transfer-encoding': 'chunked',
          'content-type': 'application/x-www-form-urlencoded',
        },
      }),
  },
  {
    name: 'json with a latin1 charset',
    status: 415,
    spec: 'invalid_request_error',
    claude: 'invalid_request_error',
    request: (f) => post(f.secrets.org, { 'content-type': 'application/json; charset=latin1' }),
  },
  {
    name: 'workspace key on another workspace (header)',
    ...FORBIDDEN,
    request: (f) => request(f.secrets.ws, { headers: { 'anthropic-workspace-id': f.other.id } }),
  },
  {
    name: 'workspace key on another workspace (route)',
    ...FORBIDDEN,
    request: (f) => request(f.secrets.ws),
    requirements: (f) => ({ workspace: () => f.other.id }),
  },
  {
    name: 'org key on an archived workspace',
    ...FORBIDDEN,
    request: (f) =>
      request(f.secrets.org, { headers: { 'anthropic-workspace-id': f.archivedWs.id } }),
  },
  {
    name: 'org key on an unknown workspace',
    ...FORBIDDEN,
    request: (f) =>
      request(f.secrets.org, { headers: { 'anthropic-workspace-id': 'wrkspc_doesnotexist' } }),
  },
  {
    name: 'missing permission',
    ...FORBIDDEN,
    request: (f) => request(f.secrets.org),
    requirements: () => ({ permissions: ['keys:admin'] }),
  },
  {
    name: 'API key on an admin route',
    ...FORBIDDEN,
    request: (f) => request(f.secrets.star),
    requirements: () => ({ admin: true }),
  },
  {
    name: 'per-key rate limit exceeded',
    ...LIMITED,
    prepare: async (f) => void (await f.auth.authenticate(request(f.secrets.slow))),
    request: (f) => request(f.secrets.slow),
    headers: { 'retry-after': '60', 'anthropic-ratelimit-requests-remaining': '0' },
  },
  {
    name: 'per-workspace rate limit exceeded',
    ...LIMITED,
    prepare: async (f) => {
      await f.keys.setWorkspaceRateLimit(f.workspace.id, { rpm: 2 });
      await f.auth.authenticate(request(f.secrets.ws));
      await f.auth.authenticate(
        request(f.secrets.org, { headers: { 'anthropic-workspace-id': f.workspace.id } }),
      );
    },
    request: (f) => request(f.secrets.ws),
    headers: { 'retry-after': '30' },
  },
  {
    name: 'failed attempts from one address exceeded',
    ...LIMITED,
    options: { failedAuth: { maxPerMinute: 3 } },
    prepare: async (f) => {
      for (let i = 0; i < 3; i++) await f.auth.authenticate(request(generateApiKey()));
    },
    request: () => request(generateApiKey()),
    headers: { 'retry-after': '20' },
  },
  {
    name: 'workspace spend limit reached',
    ...LIMITED,
    prepare: async (f) => {
      const ok = await f.auth.authenticate(request(f.secrets.limited));
      if (!ok.ok) throw new Error('setup: expected success');
      await ok.auth.recordSpend(1);
    },
    request: (f) => request(f.secrets.limited),
    // 2025-06-15T12:00:05Z → 2025-07-01T00:00:00Z
    headers: {
      'x-should-retry': 'false',
      'retry-after': String((Date.UTC(2025, 6, 1) - START - 5_000) / 1000),
    },
  },
  {
    name: 'key store unreachable',
    status: 503,
    spec: 'api_error',
    claude: 'api_error',
    prepare: async (f) => void (f.down.value = true),
    request: (f) => request(f.secrets.org),
  },
  {
    name: 'anything unexpected (a route resolver throws)',
    status: 500,
    spec: 'api_error',
    claude: 'api_error',
    request: (f) => request(f.secrets.org),
    requirements: () => ({
      workspace: () => {
        throw new Error('boom: resolver bug');
      },
    }),
  },
  {
    name: 'anything unexpected (the request-id generator throws)',
    status: 500,
    spec: 'api_error',
    claude: 'api_error',
    options: {
      requestId: () => {
        throw new Error('boom: generator bug');
      },
    },
    request: (f) => request(f.secrets.org),
  },
];

const VOCABULARIES: ErrorVocabulary[] = ['spec', 'claude'];
const TABLE = ERROR_CASES.flatMap((c) => VOCABULARIES.map((vocabulary) => ({ ...c, vocabulary })));

describe('createAuthenticator: every DESIGN.md row, both vocabularies', () => {
  it.each(TABLE)('$name ($vocabulary) → $status', async (c) => {
    const f = await setup({ ...c.options, vocabulary: c.vocabulary });
    await c.prepare?.(f);
    const req = c.request(f);
    const result = await f.auth.authenticate(req, c.requirements?.(f));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const type = c.vocabulary === 'claude' ? c.claude : c.spec;
    expect(result.error.status).toBe(c.status);
    expect(result.error.type).toBe(type);

    const requestId = result.headers['request-id']!;
    expect(requestId).toMatch(/^req_[0-9A-Za-z]{24}$/);
    expect(result.headers['content-type']).toBe('application/json');
    const body = JSON.parse(JSON.stringify(result.error)) as unknown;
    expect(body).toEqual({
      type: 'error',
      error: { type, message: expect.any(String) },
      request_id: requestId,
    });
    for (const [name, value] of Object.entries(c.headers ?? {})) {
      if (value instanceof RegExp) expect(result.headers[name]).toMatch(value);
      else expect(result.headers[name]).toBe(value);
    }
    if (c.status !== 429) expect(result.headers['retry-after']).toBeUndefined();

    // Never any key material in what goes back.
    const sent = JSON.stringify({ body, headers: result.headers, message: result.error.message });
    for (const secret of Object.values(f.secrets)) {
      expect(sent).not.toContain(secret);
      expect(sent).not.toContain(secret.slice(-10));
    }

    // The same response through errorResponse().
    const response = f.auth.errorResponse(result.error, requestId);
    expect(response.status).toBe(c.status);
    expect(response.body).toEqual(body);
  });

  it.each(VOCABULARIES)('sends one identical body for every bad key (%s)', async (vocabulary) => {
    const f = await setup({ vocabulary, requestId: () => 'req_fixed' });
    const bad = [
      request('nope'),
      request(badChecksum(f.secrets.org)),
      request(generateApiKey()),
      request(f.secrets.archived),
      request(f.secrets.expired),
      request(f.secrets.inactive),
      request(f.secrets.otherEnv),
      request([f.secrets.org, f.secrets.org]),
      request(`${f.secrets.org},${f.secrets.org}`),
      request(f.secrets.rotatedOld),
    ];
    const bodies = new Set<string>();
    for (const r of bad) {
      const result = await f.auth.authenticate(r);
      expect(result.ok).toBe(false);
      if (!result.ok)
        bodies.add(
          JSON.stringify({
            status: result.error.status,
            body: result.error,
            headers: result.headers,
          }),
        );
    }
    expect(bodies.size).toBe(1);
  });
});

describe('createAuthenticator: accepted requests', () => {
  it.each([
    ['an org key, no workspace', (f: Fixture) => request(f.secrets.org), null],
    ['a workspace key acts in its own workspace', (f: Fixture) => request(f.secrets.ws), 'ws'],
    [
      'an org key reaches any active workspace',
      (f: Fixture) => request(f.secrets.org, { headers: { 'anthropic-workspace-id': f.other.id } }),
      'other',
    ],
    [
      'JSON body with charset',
      (f: Fixture) => post(f.secrets.org, { 'content-type': 'Application/JSON; Charset="UTF-8"' }),
      null,
    ],
    [
      'empty body with any content-type',
      (f: Fixture) =>
        request(f.secrets.org, {
          method: 'DELETE',
          headers: { 'content-length': '0', 'content-type': 'text/plain' },
        }),
      null,
    ],
  ] as const)('%s', async (_name, make, workspace) => {
    const f = await setup();
    const result = await f.auth.authenticate(make(f));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const expected =
      workspace === 'ws' ? f.workspace.id : workspace === 'other' ? f.other.id : null;
    expect(result.auth.workspaceId).toBe(expected);
    expect(result.auth.version).toBe('2023-06-01');
    expect(result.auth.requestId).toBe(result.headers['request-id']);
    expect(result.headers['anthropic-ratelimit-requests-limit']).toBe('1000');
    expect(result.headers['anthropic-ratelimit-requests-remaining']).toBe('999');
    expect(result.headers['anthropic-ratelimit-requests-reset']).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(
      Date.parse(result.headers['anthropic-ratelimit-requests-reset']!),
    ).toBeGreaterThanOrEqual(f.clock.now());
    expect(JSON.stringify(result.auth)).not.toContain(f.secrets.org);
  });

  it('grants every permission to a `*` key and admin routes to admin keys', async () => {
    const f = await setup();
    expect(
      (await f.auth.authenticate(request(f.secrets.star), { permissions: ['a', 'b'] })).ok,
    ).toBe(true);
    expect(
      (await f.auth.authenticate(request(f.secrets.org), { permissions: ['messages:write'] })).ok,
    ).toBe(true);
    expect((await f.auth.authenticate(request(f.secrets.admin), { admin: true })).ok).toBe(true);
  });

  it('accepts the previous secret within its grace period', async () => {
    const f = await setup();
    const created = await f.keys.createKey({ name: 'r' });
    await f.keys.regenerateKey(created.key.id, { graceMs: 60_000 });
    expect((await f.auth.authenticate(request(created.secret))).ok).toBe(true);
    f.clock.advance(60_001);
    expect((await f.auth.authenticate(request(created.secret))).ok).toBe(false);
  });

  it('accepts a deprecated version under warn with a deprecation header and one warning', async () => {
    const f = await setup();
    const deprecated = request(f.secrets.org, { headers: { 'anthropic-version': '2023-01-01' } });
    for (let i = 0; i < 3; i++) {
      const result = await f.auth.authenticate(deprecated);
      expect(result.ok).toBe(true);
      expect(result.headers.deprecation).toBe('version="2023-01-01"');
    }
    expect(f.logger.warn).toHaveBeenCalledTimes(1);
    const current = await f.auth.authenticate(request(f.secrets.org));
    expect(current.headers.deprecation).toBeUndefined();
  });

  it('accepts a deprecated version silently under allow', async () => {
    const f = await setup({ versionPolicy: 'allow' });
    const result = await f.auth.authenticate(
      request(f.secrets.org, { headers: { 'anthropic-version': '2023-01-01' } }),
    );
    expect(result.ok).toBe(true);
    expect(result.headers.deprecation).toBeUndefined();
    expect(f.logger.warn).not.toHaveBeenCalled();
  });

  it('records usage on success', async () => {
    const f = await setup();
    await f.auth.authenticate(request(f.secrets.org));
    await f.keys.flushUsage();
    expect((await f.keys.getKey(f.ids.org)).lastUsedAt).toEqual(new Date(f.clock.now()));
  });
});

describe('verification cache and revocation', () => {
  it('keeps a known key off the store', async () => {
    const f = await setup();
    for (let i = 0; i < 10; i++)
      expect((await f.auth.authenticate(request(f.secrets.org))).ok).toBe(true);
    expect(f.calls.findKeyByHash).toBe(1);
  });

  it('coalesces simultaneous lookups of one key into one store call', async () => {
    const f = await setup();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => f.auth.authenticate(request(f.secrets.org))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(f.calls.findKeyByHash).toBe(1);
  });

  it('asks the store again after the TTL', async () => {
    const f = await setup({ cache: { ttlMs: 2_000 } });
    await f.auth.authenticate(request(f.secrets.org));
    f.clock.advance(2_001);
    await f.auth.authenticate(request(f.secrets.org));
    expect(f.calls.findKeyByHash).toBe(2);
  });

  it('makes zero store calls for malformed keys and bad checksums', async () => {
    const f = await setup({ failedAuth: false });
    for (const secret of [
      'x',
      'cla_api_live_short',
      badChecksum(f.secrets.org),
      `${f.secrets.org}x`,
      'ｃｌａ_api_live_' + 'a'.repeat(49),
    ]) {
      const result = await f.auth.authenticate(request(secret));
      expect(result.ok).toBe(false);
    }
    expect(f.calls).toEqual({});
  });

  it('remembers an unknown key briefly (negative cache)', async () => {
    const f = await setup({ failedAuth: false });
    const unknown = generateApiKey();
    await f.auth.authenticate(request(unknown));
    await f.auth.authenticate(request(unknown));
    expect(f.calls.findKeyByHash).toBe(1);
  });

  it.each([
    ['archiveKey', (f: Fixture) => f.keys.archiveKey(f.ids.org)],
    ['setKeyStatus inactive', (f: Fixture) => f.keys.setKeyStatus(f.ids.org, 'inactive')],
    ['deleteKey', (f: Fixture) => f.keys.deleteKey(f.ids.org)],
    ['regenerateKey', (f: Fixture) => f.keys.regenerateKey(f.ids.org)],
  ] as const)('refuses a cached key at once after %s', async (_name, revoke) => {
    const f = await setup();
    expect((await f.auth.authenticate(request(f.secrets.org))).ok).toBe(true);
    await revoke(f);
    const result = await f.auth.authenticate(request(f.secrets.org));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBeInstanceOf(InvalidApiKeyError);
  });

  it('refuses an org key on a workspace archived after it was cached', async () => {
    const f = await setup();
    const target = request(f.secrets.org, { headers: { 'anthropic-workspace-id': f.other.id } });
    expect((await f.auth.authenticate(target)).ok).toBe(true);
    await f.keys.createKey({ name: 'in beta', workspaceId: f.other.id });
    await f.keys.archiveWorkspace(f.other.id);
    const result = await f.auth.authenticate(target);
    expect(result.ok ? 200 : result.error.status).toBe(403);
  });

  it('answers 503, never 401 or an accept, when the store throws StoreUnavailableError', async () => {
    const f = await setup();
    f.down.value = true;
    for (const secret of [f.secrets.org, generateApiKey()]) {
      const result = await f.auth.authenticate(request(secret));
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.status).toBe(503);
        expect(result.error.type).toBe('api_error');
        expect(result.error.message).not.toContain('connection refused');
      }
    }
    expect(f.logger.error).toHaveBeenCalledTimes(1);
    f.down.value = false;
    expect((await f.auth.authenticate(request(f.secrets.org))).ok).toBe(true);
  });
});

describe('rate limits', () => {
  it('shadow mode counts and logs, never blocks, and still sends the headers', async () => {
    const f = await setup({ rateLimit: { shadow: true } });
    for (let i = 0; i < 4; i++) {
      const result = await f.auth.authenticate(request(f.secrets.slow));
      expect(result.ok).toBe(true);
      expect(result.headers['anthropic-ratelimit-requests-limit']).toBe('1');
      expect(result.headers['anthropic-ratelimit-requests-remaining']).toBe('0');
      expect(result.headers['retry-after']).toBeUndefined();
    }
    expect(f.logger.warn).toHaveBeenCalledTimes(1);
    expect(f.logger.warn.mock.calls[0]![0]).toMatch(/shadow/);
  });

  it('falls back to a per-process limiter when the configured one throws, warning once', async () => {
    const broken: RateLimiter = { consume: () => Promise.reject(new LimiterUnavailableError()) };
    const f = await setup({ rateLimiter: broken, rateLimit: { key: { rpm: 2 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await f.auth.authenticate(request(f.secrets.org));
      statuses.push(result.ok ? 200 : result.error.status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(f.logger.warn).toHaveBeenCalledTimes(1);
  });

  it('fails closed with 503 api_error when onLimiterError is fail-closed', async () => {
    const broken: RateLimiter = { consume: () => Promise.reject(new Error('ETIMEDOUT')) };
    const f = await setup({ rateLimiter: broken, rateLimit: { onLimiterError: 'fail-closed' } });
    const result = await f.auth.authenticate(request(f.secrets.org));
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.error.status, result.error.type]).toEqual([503, 'api_error']);
  });

  it('uses an async limiter when given one', async () => {
    const consumed: string[] = [];
    const limiter: RateLimiter = {
      consume: async (key, rule) => {
        consumed.push(key);
        return {
          allowed: true,
          limit: rule.limit,
          remaining: rule.limit - 1,
          resetAt: START + 60_000,
          retryAfterMs: 0,
        };
      },
    };
    const f = await setup({ rateLimiter: limiter });
    const result = await f.auth.authenticate(request(f.secrets.ws));
    expect(result.ok).toBe(true);
    expect(consumed).toEqual([`k:${f.ids.ws}`]);
  });

  it('announces retry-after in whole seconds, never before the real reset', async () => {
    const f = await setup({ rateLimit: { key: { rpm: 7 } } });
    for (let i = 0; i < 7; i++) await f.auth.authenticate(request(f.secrets.org));
    const refused = await f.auth.authenticate(request(f.secrets.org));
    expect(refused.ok).toBe(false);
    const seconds = Number(refused.headers['retry-after']);
    expect(seconds).toBe(Math.ceil(60_000 / 7 / 1000));
    f.clock.advance(seconds * 1000);
    expect((await f.auth.authenticate(request(f.secrets.org))).ok).toBe(true);
  });

  it('lets successful requests from an address not count as failures', async () => {
    const f = await setup({ failedAuth: { maxPerMinute: 2 } });
    const status = async (secret: string, ip = '203.0.113.7') => {
      const result = await f.auth.authenticate({ ...request(secret), ip });
      return result.ok ? 200 : result.error.status;
    };
    for (let i = 0; i < 10; i++) expect(await status(f.secrets.org)).toBe(200);
    expect(await status('bad')).toBe(401);
    expect(await status('bad')).toBe(401);
    expect(await status('bad')).toBe(429);
    expect(await status('bad', '198.51.100.1')).toBe(401);
    f.clock.advance(60_000);
    expect(await status('bad')).toBe(401);
  });

  describe('counts per (address, key shape); a valid key is never refused (issue 13, defect 2)', () => {
    it.each([
      ['malformed keys', (): string | undefined => 'not-a-key'],
      ['well-formed unknown keys', (): string | undefined => generateApiKey()],
      ['no key at all', (): string | undefined => undefined],
    ] as const)('after %s from an address, its valid keys still pass', async (_name, bad) => {
      const f = await setup({ failedAuth: { maxPerMinute: 3 } });
      const send = async (secret: string | undefined) => {
        const req = request(secret ?? '');
        if (secret === undefined) delete req.headers['x-api-key'];
        const result = await f.auth.authenticate(req);
        return result.ok ? 200 : result.error.status;
      };
      for (let i = 0; i < 3; i++) expect(await send(bad())).toBe(401);
      expect(await send(bad())).toBe(429);
      // The neighbour behind the same NAT with a valid key: never refused, never counted.
      for (let i = 0; i < 5; i++) expect(await send(f.secrets.org)).toBe(200);
      expect(await send(bad())).toBe(429);
    });

    it('a different shape from the same address is counted apart', async () => {
      const f = await setup({ failedAuth: { maxPerMinute: 2 } });
      const status = async (secret: string) => {
        const result = await f.auth.authenticate(request(secret));
        return result.ok ? 200 : result.error.status;
      };
      expect([await status('bad'), await status('bad'), await status('bad')]).toEqual([
        401, 401, 429,
      ]);
      // A well-formed key that is no longer usable (revoked) is its own shape: still a 401.
      expect(await status(f.secrets.archived)).toBe(401);
      expect(await status(generateApiKey())).toBe(401);
      expect(await status(generateApiKey())).toBe(429);
    });
  });
});

describe('spend', () => {
  async function limited() {
    const f = await setup();
    const result = await f.auth.authenticate(request(f.secrets.limited));
    if (!result.ok) throw new Error('expected success');
    return { f, auth: result.auth };
  }

  it('debits through the ledger and refuses past the limit unless forced', async () => {
    const { auth } = await limited();
    expect(await auth.recordSpend(0.6)).toEqual({
      applied: true,
      totalMicros: 600_000,
      limitMicros: 1_000_000,
    });
    expect(await auth.recordSpend(0.6)).toEqual({
      applied: true,
      totalMicros: 1_200_000,
      limitMicros: 1_000_000,
    });
    const refused = await auth.recordSpend(0.1);
    expect(refused).toMatchObject({
      applied: false,
      totalMicros: 1_200_000,
      limitMicros: 1_000_000,
    });
    expect(refused.error).toMatchObject({ status: 429, headers: { 'x-should-retry': 'false' } });
    expect(refused.error!.retryAfter).toBeGreaterThan(0);
    expect(refused.error!.toJSON()).toMatchObject({ error: { type: 'rate_limit_exceeded' } });
    expect(await auth.recordSpend(0.1, { force: true })).toEqual({
      applied: true,
      totalMicros: 1_300_000,
      limitMicros: 1_000_000,
    });
  });

  it('never exceeds the limit by more than one cost under concurrent recordSpend', async () => {
    const { f, auth } = await limited();
    const results = await Promise.all(Array.from({ length: 100 }, () => auth.recordSpend(0.07)));
    const total = await f.store.getSpend(f.limitedWs.id, '2025-06');
    expect(total).toBeLessThanOrEqual(1_000_000 + 70_000);
    expect(total).toBeGreaterThanOrEqual(1_000_000);
    expect(results.filter((r) => r.applied)).toHaveLength(total / 70_000);
  });

  it('answers 429 with x-should-retry false once the month is spent, and accepts again next month', async () => {
    const { f, auth } = await limited();
    await auth.recordSpend(1);
    const refused = await f.auth.authenticate(request(f.secrets.limited));
    expect(refused.ok).toBe(false);
    expect(refused.headers['x-should-retry']).toBe('false');
    f.clock.advance(Date.UTC(2025, 6, 1) - f.clock.now());
    expect((await f.auth.authenticate(request(f.secrets.limited))).ok).toBe(true);
  });

  it('refuses a bad amount with a typed error and ignores spend without a workspace', async () => {
    const f = await setup();
    const result = await f.auth.authenticate(request(f.secrets.org));
    if (!result.ok) throw new Error('expected success');
    await expect(result.auth.recordSpend(-1)).rejects.toMatchObject({ status: 400 });
    await expect(result.auth.recordSpend(Number.NaN)).rejects.toMatchObject({ status: 400 });
    expect(await result.auth.recordSpend(1)).toEqual({
      applied: false,
      totalMicros: 0,
      limitMicros: null,
    });
  });
});

describe('authorize', () => {
  async function authed(f: Fixture, secret: string): Promise<Extract<AuthResult, { ok: true }>> {
    const result = await f.auth.authenticate(request(secret));
    if (!result.ok) throw new Error('expected success');
    return result;
  }

  it.each([
    ['permission present', 'org', { permissions: ['messages:write'] }, 200],
    ['permission missing', 'org', { permissions: ['admin:write'] }, 403],
    ['admin route, api key', 'star', { admin: true }, 403],
    ['admin route, admin key', 'admin', { admin: true }, 200],
    ['workspace key, other workspace', 'ws', { workspace: 'other' }, 403],
    ['workspace key, own workspace', 'ws', { workspace: 'own' }, 200],
    ['org key, archived workspace (known)', 'org', { workspace: 'archived' }, 403],
  ] as const)('%s', async (_name, who, req, status) => {
    const f = await setup();
    // Let the authenticator see the archived workspace once.
    await f.auth.authenticate(
      request(f.secrets.org, { headers: { 'anthropic-workspace-id': f.archivedWs.id } }),
    );
    const ok = await authed(f, f.secrets[who]);
    const requirements: RouteRequirements = {
      ...('permissions' in req ? { permissions: req.permissions } : {}),
      ...('admin' in req ? { admin: req.admin } : {}),
      ...('workspace' in req
        ? {
            workspace:
              req.workspace === 'own'
                ? f.workspace.id
                : req.workspace === 'other'
                  ? f.other.id
                  : f.archivedWs.id,
          }
        : {}),
    };
    const result = await f.auth.authorize(ok.auth, request(f.secrets[who]), requirements);
    expect(result.ok ? 200 : result.error.status).toBe(status);
    expect(result.headers['request-id']).toBe(ok.auth.requestId);
  });
});

describe('authorize decides from the store, never from what it has not seen (issue 13, defect 1)', () => {
  async function authed(f: Fixture, secret: string): Promise<Extract<AuthResult, { ok: true }>> {
    const result = await f.auth.authenticate(request(secret));
    if (!result.ok) throw new Error('expected success');
    return result;
  }

  it.each([
    ['archived workspace never seen before', 'archived', 403],
    ['workspace id that does not exist', 'unknown', 403],
    ['active workspace never seen before', 'active', 200],
  ] as const)(
    'org key, %s: %i, same as authenticate(…, { workspace })',
    async (_n, which, status) => {
      const f = await setup();
      const id =
        which === 'archived'
          ? f.archivedWs.id
          : which === 'unknown'
            ? 'wrkspc_01INVENTEDINVENTEDINVENTED'
            : f.other.id;
      const ok = await authed(f, f.secrets.org);
      const calls = f.calls.getWorkspace ?? 0;
      const result = await f.auth.authorize(ok.auth, request(f.secrets.org), { workspace: id });
      expect(result.ok ? 200 : result.error.status).toBe(status);
      expect(f.calls.getWorkspace).toBe(calls + 1); // asked the store, once
      const direct = await f.auth.authenticate(request(f.secrets.org), { workspace: id });
      expect(direct.ok ? 200 : direct.error.status).toBe(status);
      // The second decision came from the workspace cache.
      expect(f.calls.getWorkspace).toBe(calls + 1);
    },
  );

  it('counts no request against an invented workspace id', async () => {
    const f = await setup();
    const ok = await authed(f, f.secrets.org);
    const invented = 'wrkspc_01INVENTEDINVENTEDINVENTED';
    const move = vi.spyOn(f.keys, 'moveRequestCount');
    const result = await f.auth.authorize(ok.auth, request(f.secrets.org), { workspace: invented });
    expect(result.ok).toBe(false);
    expect(move).not.toHaveBeenCalled();
  });

  it('answers 503 when the store cannot say whether the workspace exists', async () => {
    const f = await setup();
    const ok = await authed(f, f.secrets.org);
    f.down.value = true;
    const result = await f.auth.authorize(ok.auth, request(f.secrets.org), {
      workspace: f.other.id,
    });
    expect(result.ok ? 200 : result.error.status).toBe(503);
    f.down.value = false;
  });

  it('applies the re-targeted workspace spend limit, like authenticate', async () => {
    const f = await setup();
    const ok = await authed(f, f.secrets.org);
    await f.store.debitSpend({
      workspaceId: f.limitedWs.id,
      period: '2025-06',
      amountMicros: 1_000_000,
      limitMicros: null,
      force: true,
    });
    const result = await f.auth.authorize(ok.auth, request(f.secrets.org), {
      workspace: f.limitedWs.id,
    });
    expect(result.ok ? 200 : result.error.status).toBe(429);
    expect(result.headers['x-should-retry']).toBe('false');
  });
});

describe('workspace changes reach the caches (issue 13, defect 5)', () => {
  it('archiving a workspace without keys refuses org keys there at once', async () => {
    const f = await setup();
    const empty = await f.keys.createWorkspace({ name: 'Empty' });
    const into = request(f.secrets.org, { headers: { 'anthropic-workspace-id': empty.id } });
    expect((await f.auth.authenticate(into)).ok).toBe(true); // now cached as active
    await f.keys.archiveWorkspace(empty.id);
    const refused = await f.auth.authenticate(into);
    expect(refused.ok ? 200 : refused.error.status).toBe(403);
  });

  it('a changed spend limit applies at once, not after the cache TTL', async () => {
    const f = await setup();
    const ws = await f.keys.createWorkspace({ name: 'Budget later' });
    const into = request(f.secrets.org, { headers: { 'anthropic-workspace-id': ws.id } });
    const ok = await f.auth.authenticate(into);
    if (!ok.ok) throw new Error('expected success');
    await ok.auth.recordSpend(2);
    await f.keys.setWorkspaceSpendLimit(ws.id, 1);
    const refused = await f.auth.authenticate(into);
    expect(refused.ok ? 200 : refused.error.status).toBe(429);
  });
});

describe('errorResponse', () => {
  it.each([
    [new StoreUnavailableError('db down at 10.0.0.1'), 503, 'api_error'],
    [new LimiterUnavailableError(), 503, 'api_error'],
    [new Error('secret stack details'), 500, 'api_error'],
    ['a string', 500, 'api_error'],
    [new NotFoundError('No such key'), 404, 'not_found_error'],
  ] as const)('maps %s to %i', (error, status, type) => {
    const auth = createAuthenticator({ cache: false });
    open.push(auth);
    const response = auth.errorResponse(error, 'req_abc');
    expect(response.status).toBe(status);
    expect(response.body.error.type).toBe(type);
    expect(response.body.request_id).toBe('req_abc');
    expect(response.headers).toMatchObject({
      'request-id': 'req_abc',
      'content-type': 'application/json',
    });
    expect(JSON.stringify(response)).not.toMatch(/10\.0\.0\.1|secret stack/);
  });

  it('translates pipeline errors into the configured vocabulary and makes up a request id', async () => {
    const f = await setup();
    const refused = await f.auth.authenticate(request('bad'));
    if (refused.ok) throw new Error('expected failure');
    const claude = createAuthenticator({ vocabulary: 'claude', cache: false });
    open.push(claude);
    const response = claude.errorResponse(refused.error);
    expect(response.body.error.type).toBe('authentication_error');
    expect(response.headers['request-id']).toBe(refused.headers['request-id']);
    expect(claude.errorResponse(new Error('x')).headers['request-id']).toMatch(/^req_/);
  });
});

describe('resolveAuthenticatorOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveAuthenticatorOptions();
    expect(resolved).toMatchObject({
      environment: 'live',
      vocabulary: 'spec',
      versionPolicy: 'warn',
      rateLimit: {
        key: { rpm: 1000 },
        workspace: false,
        shadow: false,
        onLimiterError: 'fallback',
      },
      failedAuth: { maxPerMinute: 20 },
      cache: { ttlMs: 5000, negativeTtlMs: 1000, maxEntries: 10_000 },
    });
    expect(resolved.store).toBe(resolved.spend);
    expect(resolved.keys.store).toBe(resolved.store);
  });

  it.each([
    ['cache.ttlMs above 10 s', { cache: { ttlMs: 10_001 } }, 'cache.ttlMs'],
    ['negative cache TTL', { cache: { negativeTtlMs: -1 } }, 'cache.negativeTtlMs'],
    ['zero cache size', { cache: { maxEntries: 0 } }, 'cache.maxEntries'],
    ['bad environment', { environment: 'Live!' }, 'environment'],
    ['bad vocabulary', { vocabulary: 'anthropic' }, 'vocabulary'],
    ['bad version policy', { versionPolicy: 'never' }, 'versionPolicy'],
    ['bad rpm', { rateLimit: { key: { rpm: 0 } } }, 'rateLimit.key.rpm'],
    [
      'bad burst',
      { rateLimit: { workspace: { rpm: 5, burst: 1.5 } } },
      'rateLimit.workspace.burst',
    ],
    ['bad limiter mode', { rateLimit: { onLimiterError: 'ignore' } }, 'rateLimit.onLimiterError'],
    ['bad failedAuth', { failedAuth: { maxPerMinute: -3 } }, 'failedAuth.maxPerMinute'],
    ['bad clock', { now: 5 }, 'now'],
  ])('throws ConfigurationError for %s', (_name, options, field) => {
    let thrown: unknown;
    try {
      resolveAuthenticatorOptions(options as AuthenticatorOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).field).toBe(field);
  });
});
