/**
 * The HTTP contract table: every row of DESIGN.md's contract, as requests and the exact responses
 * every adapter (Express, Koa, NestJS on Express and Fastify) must give. `runContractTable`
 * (`contract-harness.ts`) sends them; the table itself is data, exported for reuse.
 */
import {
  AUTH_CONDITIONS,
  type AuthCondition,
  type AuthRequest,
  type ClaudeAuth,
  type ErrorVocabulary,
  type RouteRequirements,
} from '@claude-auth/core';
import { expect } from 'vitest';

/** The authenticator configurations the table needs; each runs in both vocabularies. */
export type ContractVariant =
  /** `versionPolicy: 'warn'`, generous rate and failed-auth limits. */
  | 'default'
  /** `versionPolicy: 'reject'`. */
  | 'reject'
  /** `versionPolicy: 'allow'`. */
  | 'allow'
  /** `credentials: ['x-api-key']`: the spec's strict form, `Authorization` ignored. */
  | 'x-api-key-only'
  /** At most {@link FAILED_AUTH_LIMIT} failed attempts per client address and minute. */
  | 'failed-auth'
  /** A key store that throws `StoreUnavailableError` on every call, and no cache. */
  | 'store-down';

/** Failed authentications per minute and address in the `failed-auth` variant. */
export const FAILED_AUTH_LIMIT = 3;
/** Requests per minute of every key without its own limit (all variants). */
export const DEFAULT_KEY_RPM = 1000;
/** Requests per minute (and burst) of the `rateLimited` fixture key. */
export const LIMITED_KEY_RPM = 2;
/** The body size limit every adapter's JSON parser must enforce (413 above it). */
export const CONTRACT_BODY_LIMIT_BYTES = 16 * 1024;

/** Secrets and ids the harness creates before the table runs. */
export interface ContractFixtures {
  keys: {
    /** Organisation-wide `api` key, permissions `['*']`. */
    org: string;
    /** Organisation-wide `admin` key. */
    admin: string;
    /** Key of workspace `a`, permissions `['*']`. */
    workspaceA: string;
    /** Key of workspace `b`. */
    workspaceB: string;
    /** Organisation-wide key with `['messages:write']` only. */
    limited: string;
    /** Organisation-wide key with `['files:write']`. */
    filesWriter: string;
    /** Key with its own limit of {@link LIMITED_KEY_RPM} requests per minute. */
    rateLimited: string;
    /** Key of the workspace whose monthly spend limit is used up. */
    spent: string;
    /** Archived (revoked) key. */
    revoked: string;
    inactive: string;
    expired: string;
    /** Valid key of the `test` environment (the authenticators serve `live`). */
    otherEnvironment: string;
    /** A well-formed key with a valid checksum that was never issued. */
    unknown: string;
    /** A valid key with its last character changed (checksum fails). */
    badChecksum: string;
  };
  workspaces: {
    a: string;
    b: string;
    spent: string;
    /** Well-formed, never created. */ unknown: string;
  };
}

/** One request of the table. Header names keep their casing; an array value sends the header once per item. */
export interface ContractRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: ReadonlyArray<readonly [name: string, value: string | readonly string[]]>;
  body?: string;
}

/** Expected header: exact text, a pattern, or `null` for "must be absent". */
export type ExpectedHeader = string | RegExp | null;

/** The response a case expects. `body` excludes `request_id` (checked against `request-id`). */
export interface ContractExpectation {
  status: number;
  /** Compared with `toEqual` (asymmetric matchers allowed). */
  body: unknown;
  headers?: Readonly<Record<string, ExpectedHeader>>;
}

/** One row of the table. */
export interface ContractCase {
  name: string;
  variant?: ContractVariant;
  /** Requests sent first (same request), each expected to answer `status`. */
  warmup?: { count: number; status: number };
  request(fixtures: ContractFixtures): ContractRequest;
  expect(vocabulary: ErrorVocabulary, fixtures: ContractFixtures): ContractExpectation;
}

/** What a contract route handler receives. */
export interface ContractRouteInput {
  auth: ClaudeAuth;
  /** The parsed JSON body (POST), else `undefined`. */
  body: unknown;
}

/** A route every adapter mounts: method, path (`:param` syntax), requirements, handler. */
export interface ContractRoute {
  method: 'GET' | 'POST';
  path: string;
  requirements: RouteRequirements;
  /**
   * Served without authentication (excluded from the global middleware, `@Public()` on Nest); its
   * handler must not read `auth`.
   */
  public?: boolean;
  /** Returns the JSON body of a 200 response; a throw must become the contract's 500. */
  handle(input: ContractRouteInput): unknown;
}

const WORKSPACE_IN_PATH = /^\/v1\/workspaces\/([^/?#]+)\/usage(?:[?#]|$)/;

const caller = (route: string, { auth }: ContractRouteInput) => ({
  route,
  key: auth.keyName,
  workspace_id: auth.workspaceId,
  request_id: auth.requestId,
});

/**
 * The routes every adapter mounts, after its global middleware, each behind the adapter's
 * per-route guard with `requirements`.
 */
export const CONTRACT_ROUTES: readonly ContractRoute[] = [
  {
    method: 'GET',
    path: '/v1/models',
    requirements: {},
    handle: (input) => caller('models', input),
  },
  {
    method: 'POST',
    path: '/v1/messages',
    requirements: {},
    handle: (input) => ({ ...caller('messages', input), echo: input.body }),
  },
  {
    method: 'GET',
    path: '/v1/admin/keys',
    requirements: { admin: true },
    handle: (input) => caller('admin', input),
  },
  {
    method: 'POST',
    path: '/v1/files',
    requirements: { permissions: ['files:write'] },
    handle: (input) => caller('files', input),
  },
  {
    method: 'GET',
    path: '/v1/workspaces/:workspaceId/usage',
    requirements: { workspace: (request: AuthRequest) => WORKSPACE_IN_PATH.exec(request.url)?.[1] },
    handle: (input) => caller('usage', input),
  },
  {
    method: 'GET',
    path: '/v1/boom',
    requirements: {},
    handle: () => {
      throw new Error('boom: internal detail that must not reach clients');
    },
  },
];

// --- building blocks -----------------------------------------------------------------------

const VERSION = '2023-06-01';
/** The current version, as `@anthropic-ai/sdk` 1.x sends it. */
const CURRENT = '2026-10-21';
const DEPRECATED = '2023-01-01';

/**
 * The message of the 400 for a missing, unknown or retired version under the default registry
 * and the `warn` policy: it names the versions the service accepts.
 */
export const VERSION_REFUSAL_MESSAGE = `${AUTH_CONDITIONS.invalid_version.message}; supported versions: ${CURRENT}, ${VERSION}, ${DEPRECATED}`;
type Headers = NonNullable<ContractRequest['headers']>;

/** `x-api-key` plus the spec's `anthropic-version`. */
const auth = (key: string, version: string = VERSION): Headers => [
  ['x-api-key', key],
  ['anthropic-version', version],
];
/** `Authorization: Bearer <key>` plus the current version, as SDK 1.x sends them. */
const bearer = (key: string, scheme = 'Bearer', version: string = CURRENT): Headers => [
  ['Authorization', `${scheme} ${key}`],
  ['anthropic-version', version],
];
const get = (path: string, headers: Headers): ContractRequest => ({ method: 'GET', path, headers });
const postJson = (
  path: string,
  headers: Headers,
  body = '{"hello":"world"}',
  type = 'application/json',
): ContractRequest => ({
  method: 'POST',
  path,
  headers: [...headers, ['content-type', type]],
  body,
});

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const SECONDS = /^[1-9]\d*$/;

/** Rate-limit headers every authenticated response carries. */
const RATE_LIMIT_OK = {
  'anthropic-ratelimit-requests-limit': String(DEFAULT_KEY_RPM),
  'anthropic-ratelimit-requests-remaining': /^\d+$/,
  'anthropic-ratelimit-requests-reset': RFC3339,
} as const;

/** The error response of one contract condition in one vocabulary. */
export function expectedError(
  condition: AuthCondition,
  vocabulary: ErrorVocabulary,
  headers: Readonly<Record<string, ExpectedHeader>> = {},
): ContractExpectation {
  const row = AUTH_CONDITIONS[condition];
  const message = condition === 'invalid_version' ? VERSION_REFUSAL_MESSAGE : row.message;
  return {
    status: row.status,
    body: { type: 'error', error: { type: row[vocabulary], message } },
    headers: { 'x-should-retry': condition === 'spend_limited' ? 'false' : null, ...headers },
  };
}

const ok = (
  route: string,
  key: string,
  workspaceId: string | null,
  extra: Record<string, unknown> = {},
  headers: Readonly<Record<string, ExpectedHeader>> = {},
): ContractExpectation => ({
  status: 200,
  body: { route, key, workspace_id: workspaceId, ...extra },
  headers: { ...RATE_LIMIT_OK, deprecation: null, 'retry-after': null, ...headers },
});

/** One identical 401 for every key that is not a usable key of this environment. */
const invalidKey = (
  name: string,
  key: (f: ContractFixtures) => string | readonly string[],
): ContractCase => ({
  name: `401 invalid key: ${name}`,
  request: (f) =>
    get('/v1/models', [
      ['x-api-key', key(f)],
      ['anthropic-version', VERSION],
    ]),
  expect: (v) => expectedError('invalid_api_key', v),
});

// --- the table -----------------------------------------------------------------------------

/** Every case, run once per vocabulary by `runContractTable`. */
export const CONTRACT_CASES: readonly ContractCase[] = [
  // authentication
  {
    name: '401 missing x-api-key',
    request: () => get('/v1/models', [['anthropic-version', VERSION]]),
    expect: (v) => expectedError('missing_api_key', v),
  },
  {
    name: '401 key in the query string (?api_key=) instead of the header',
    request: (f) => get(`/v1/models?api_key=${f.keys.org}`, [['anthropic-version', VERSION]]),
    expect: (v) => expectedError('key_in_query', v),
  },
  {
    name: '401 key in the query string (?x-api-key=) even with a valid header',
    request: (f) => get(`/v1/models?x-api-key=${f.keys.org}`, auth(f.keys.org)),
    expect: (v) => expectedError('key_in_query', v),
  },
  invalidKey('malformed', () => 'not-a-key'),
  invalidKey('bad checksum', (f) => f.keys.badChecksum),
  invalidKey('unknown (never issued)', (f) => f.keys.unknown),
  invalidKey('revoked (archived)', (f) => f.keys.revoked),
  invalidKey('inactive', (f) => f.keys.inactive),
  invalidKey('expired', (f) => f.keys.expired),
  invalidKey('other environment (test key on live)', (f) => f.keys.otherEnvironment),
  invalidKey('duplicated header, same valid key twice', (f) => [f.keys.org, f.keys.org]),
  invalidKey('duplicated header, valid and unknown', (f) => [f.keys.org, f.keys.unknown]),
  invalidKey('oversized (10 KB)', () => `cla_api_live_${'A'.repeat(10 * 1024)}`),
  invalidKey('non-ASCII characters', (f) => `${f.keys.org.slice(0, -2)}é\u00ff`),
  invalidKey('valid key with surrounding text', (f) => `Bearer ${f.keys.org}`),
  {
    name: '200 header names in any case (X-Api-Key, Anthropic-Version)',
    request: (f) =>
      get('/v1/models', [
        ['X-Api-Key', f.keys.org],
        ['Anthropic-Version', VERSION],
      ]),
    expect: () => ok('models', 'org', null),
  },
  {
    name: '200 header names upper case (X-API-KEY)',
    request: (f) =>
      get('/v1/models', [
        ['X-API-KEY', f.keys.org],
        ['ANTHROPIC-VERSION', VERSION],
      ]),
    expect: () => ok('models', 'org', null),
  },
  // Authorization: Bearer (today's official TypeScript SDK)
  {
    name: '200 Authorization: Bearer with anthropic-version 2026-10-21',
    request: (f) => get('/v1/models', bearer(f.keys.org)),
    expect: () => ok('models', 'org', null),
  },
  {
    name: '200 bearer scheme in lower case, spec version',
    request: (f) => get('/v1/models', bearer(f.keys.org, 'bearer', VERSION)),
    expect: () => ok('models', 'org', null),
  },
  {
    name: '200 x-api-key and bearer carrying the same key',
    request: (f) => get('/v1/models', [['x-api-key', f.keys.org], ...bearer(f.keys.org)]),
    expect: () => ok('models', 'org', null),
  },
  {
    name: '200 POST /v1/messages with bearer, ?beta=true and anthropic-beta',
    request: (f) =>
      postJson('/v1/messages?beta=true', [
        ...bearer(f.keys.org),
        ['anthropic-beta', 'prompt-caching-2024-07-31'],
      ]),
    expect: () => ok('messages', 'org', null, { echo: { hello: 'world' } }),
  },
  {
    name: '403 bearer workspace key with another workspace in the header',
    request: (f) =>
      get('/v1/models', [...bearer(f.keys.workspaceA), ['anthropic-workspace-id', f.workspaces.b]]),
    expect: (v) => expectedError('access_denied', v),
  },
  {
    name: '401 invalid key: x-api-key and bearer disagreeing',
    request: (f) => get('/v1/models', [['x-api-key', f.keys.org], ...bearer(f.keys.workspaceA)]),
    expect: (v) => expectedError('invalid_api_key', v),
  },
  {
    name: '401 invalid key: empty bearer',
    request: () =>
      get('/v1/models', [
        ['Authorization', 'Bearer '],
        ['anthropic-version', CURRENT],
      ]),
    expect: (v) => expectedError('invalid_api_key', v),
  },
  {
    name: '401 invalid key: another Authorization scheme and no x-api-key',
    request: (f) => get('/v1/models', bearer(f.keys.org, 'Basic')),
    expect: (v) => expectedError('invalid_api_key', v),
  },
  {
    name: '401 invalid key: bearer with a bad checksum',
    request: (f) => get('/v1/models', bearer(f.keys.badChecksum)),
    expect: (v) => expectedError('invalid_api_key', v),
  },
  {
    name: '401 invalid key: bearer of a revoked key',
    request: (f) => get('/v1/models', bearer(f.keys.revoked)),
    expect: (v) => expectedError('invalid_api_key', v),
  },
  {
    name: "401 bearer only under credentials: ['x-api-key'] (names x-api-key only)",
    variant: 'x-api-key-only',
    request: (f) => get('/v1/models', bearer(f.keys.org)),
    expect: (v) => ({
      status: 401,
      body: {
        type: 'error',
        error: {
          type: AUTH_CONDITIONS.missing_api_key[v],
          message: 'Missing API key: send it in the x-api-key header',
        },
      },
    }),
  },
  {
    name: "200 x-api-key under credentials: ['x-api-key'], a differing bearer ignored",
    variant: 'x-api-key-only',
    request: (f) => get('/v1/models', [...auth(f.keys.org), ['Authorization', 'Bearer other']]),
    expect: () => ok('models', 'org', null),
  },
  {
    name: '200 GET without body or content-type, rate-limit headers set',
    request: (f) => get('/v1/models', auth(f.keys.org)),
    expect: () => ok('models', 'org', null),
  },

  // versions
  {
    name: '400 anthropic-version missing',
    request: (f) => get('/v1/models', [['x-api-key', f.keys.org]]),
    expect: (v) => expectedError('invalid_version', v),
  },
  {
    name: '200 anthropic-version 2026-10-21 (current) with x-api-key, no deprecation header',
    request: (f) => get('/v1/models', auth(f.keys.org, CURRENT)),
    expect: () => ok('models', 'org', null),
  },
  {
    name: '400 anthropic-version unknown',
    request: (f) => get('/v1/models', auth(f.keys.org, '2024-13-01')),
    expect: (v) => expectedError('invalid_version', v),
  },
  {
    name: '200 deprecated version under warn, with a deprecation header',
    request: (f) => get('/v1/models', auth(f.keys.org, DEPRECATED)),
    expect: () => ok('models', 'org', null, {}, { deprecation: /\S/ }),
  },
  {
    name: '400 deprecated version under reject',
    variant: 'reject',
    request: (f) => get('/v1/models', auth(f.keys.org, DEPRECATED)),
    expect: (v) => expectedError('deprecated_version', v),
  },
  {
    name: '200 current version under reject',
    variant: 'reject',
    request: (f) => get('/v1/models', auth(f.keys.org)),
    expect: () => ok('models', 'org', null),
  },
  {
    name: '200 deprecated version under allow, no deprecation header',
    variant: 'allow',
    request: (f) => get('/v1/models', auth(f.keys.org, DEPRECATED)),
    expect: () => ok('models', 'org', null),
  },

  // content type
  {
    name: '200 POST application/json is echoed',
    request: (f) => postJson('/v1/messages', auth(f.keys.org)),
    expect: () => ok('messages', 'org', null, { echo: { hello: 'world' } }),
  },
  {
    name: '200 POST application/json; charset=utf-8',
    request: (f) =>
      postJson('/v1/messages', auth(f.keys.org), '{"n":1}', 'application/json; charset=utf-8'),
    expect: () => ok('messages', 'org', null, { echo: { n: 1 } }),
  },
  {
    name: '415 POST text/plain',
    request: (f) => postJson('/v1/messages', auth(f.keys.org), 'hello', 'text/plain'),
    expect: (v) => expectedError('unsupported_media_type', v),
  },
  {
    name: '415 POST with a body and no content-type',
    request: (f) => ({
      method: 'POST',
      path: '/v1/messages',
      headers: auth(f.keys.org),
      body: '{"a":1}',
    }),
    expect: (v) => expectedError('unsupported_media_type', v),
  },
  {
    name: '400 POST malformed JSON',
    request: (f) => postJson('/v1/messages', auth(f.keys.org), `{"key":"${f.keys.org}"`),
    expect: () => ({
      status: 400,
      body: {
        type: 'error',
        error: { type: 'invalid_request_error', message: expect.any(String) },
      },
    }),
  },
  {
    name: '413 POST body above the size limit',
    request: (f) =>
      postJson(
        '/v1/messages',
        auth(f.keys.org),
        JSON.stringify({ pad: 'x'.repeat(CONTRACT_BODY_LIMIT_BYTES + 1024) }),
      ),
    expect: (v) => ({
      status: 413,
      body: {
        type: 'error',
        error: {
          type: v === 'claude' ? 'request_too_large' : 'invalid_request_error',
          message: expect.any(String),
        },
      },
    }),
  },

  // workspaces
  {
    name: '200 organisation key acts in the workspace named by the header',
    request: (f) =>
      get('/v1/models', [...auth(f.keys.org), ['anthropic-workspace-id', f.workspaces.a]]),
    expect: (_v, f) => ok('models', 'org', f.workspaces.a),
  },
  {
    name: '200 workspace key without the header acts in its own workspace',
    request: (f) => get('/v1/models', auth(f.keys.workspaceA)),
    expect: (_v, f) => ok('models', 'workspace-a', f.workspaces.a),
  },
  {
    name: '200 workspace key with its own workspace in the header',
    request: (f) =>
      get('/v1/models', [...auth(f.keys.workspaceA), ['anthropic-workspace-id', f.workspaces.a]]),
    expect: (_v, f) => ok('models', 'workspace-a', f.workspaces.a),
  },
  {
    name: '403 workspace key with another workspace in the header',
    request: (f) =>
      get('/v1/models', [...auth(f.keys.workspaceA), ['anthropic-workspace-id', f.workspaces.b]]),
    expect: (v) => expectedError('access_denied', v),
  },
  {
    name: '403 workspace key with an unknown workspace in the header',
    request: (f) =>
      get('/v1/models', [
        ...auth(f.keys.workspaceA),
        ['anthropic-workspace-id', f.workspaces.unknown],
      ]),
    expect: (v) => expectedError('access_denied', v),
  },
  {
    name: '403 organisation key with an unknown workspace in the header',
    request: (f) =>
      get('/v1/models', [...auth(f.keys.org), ['anthropic-workspace-id', f.workspaces.unknown]]),
    expect: (v) => expectedError('access_denied', v),
  },
  {
    name: '403 duplicated anthropic-workspace-id header',
    request: (f) =>
      get('/v1/models', [
        ...auth(f.keys.org),
        ['anthropic-workspace-id', [f.workspaces.a, f.workspaces.b]],
      ]),
    expect: (v) => expectedError('access_denied', v),
  },
  {
    name: '200 route workspace resolver: own workspace',
    request: (f) => get(`/v1/workspaces/${f.workspaces.a}/usage`, auth(f.keys.workspaceA)),
    expect: (_v, f) => ok('usage', 'workspace-a', f.workspaces.a),
  },
  {
    name: '403 route workspace resolver: another workspace',
    request: (f) => get(`/v1/workspaces/${f.workspaces.b}/usage`, auth(f.keys.workspaceA)),
    expect: (v) => expectedError('access_denied', v),
  },
  {
    name: '200 route workspace resolver: organisation key',
    request: (f) => get(`/v1/workspaces/${f.workspaces.b}/usage`, auth(f.keys.org)),
    expect: (_v, f) => ok('usage', 'org', f.workspaces.b),
  },

  // permissions and admin
  {
    name: '200 route permission present',
    request: (f) => postJson('/v1/files', auth(f.keys.filesWriter)),
    expect: () => ok('files', 'files-writer', null),
  },
  {
    name: '403 route permission missing',
    request: (f) => postJson('/v1/files', auth(f.keys.limited)),
    expect: (v) => expectedError('access_denied', v),
  },
  {
    name: '403 api key on an admin route',
    request: (f) => get('/v1/admin/keys', auth(f.keys.org)),
    expect: (v) => expectedError('access_denied', v),
  },
  {
    name: '200 admin key on an admin route',
    request: (f) => get('/v1/admin/keys', auth(f.keys.admin)),
    expect: () => ok('admin', 'admin', null),
  },

  // limits and failures
  {
    name: '429 per-key rate limit exceeded, with retry-after and rate-limit headers',
    warmup: { count: LIMITED_KEY_RPM, status: 200 },
    request: (f) => get('/v1/models', auth(f.keys.rateLimited)),
    expect: (v) =>
      expectedError('rate_limited', v, {
        'retry-after': SECONDS,
        'anthropic-ratelimit-requests-limit': String(LIMITED_KEY_RPM),
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': RFC3339,
      }),
  },
  {
    name: '429 workspace spend limit reached, x-should-retry: false',
    request: (f) => get('/v1/models', auth(f.keys.spent)),
    expect: (v) => expectedError('spend_limited', v),
  },
  {
    name: '429 too many failed attempts from one address',
    variant: 'failed-auth',
    warmup: { count: FAILED_AUTH_LIMIT, status: 401 },
    request: (f) => get('/v1/models', auth(f.keys.unknown)),
    expect: (v) => expectedError('rate_limited', v, { 'retry-after': SECONDS }),
  },
  {
    name: '503 key store unreachable (fails closed)',
    variant: 'store-down',
    request: (f) => get('/v1/models', auth(f.keys.org)),
    expect: (v) => expectedError('store_unavailable', v),
  },
  {
    name: '500 unexpected error in a handler, no internals leaked',
    request: (f) => get('/v1/boom', auth(f.keys.org)),
    expect: (v) => expectedError('internal', v),
  },
];

/** Every variant the table uses. */
export const CONTRACT_VARIANTS: readonly ContractVariant[] = [
  'default',
  'reject',
  'allow',
  'x-api-key-only',
  'failed-auth',
  'store-down',
];

/** Vocabularies every case runs in. */
export const CONTRACT_VOCABULARIES: readonly ErrorVocabulary[] = ['spec', 'claude'];
