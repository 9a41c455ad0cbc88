/**
 * The authorization matrix: every key scope × every route kind, on one adapter, over real HTTP.
 * Each cell is the status the adapter must answer. Workspace-targeted routes are reached after the
 * adapter's global middleware (Express/Koa `requireApiKey()` → `authorize()`, Nest's guard), so a
 * workspace this instance has never seen is decided from the store (issue 13, defect 1).
 */
import {
  KeyManager,
  MemoryKeyStore,
  createAuthenticator,
  newWorkspaceId,
  type Authenticator,
  type CreateKeyInput,
} from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendContractRequest, type StartContractServer } from './contract-harness.js';
import {
  CONTRACT_BODY_LIMIT_BYTES,
  CONTRACT_ROUTES,
  type ContractRoute,
} from './contract-table.js';
import { createSecretCapture } from './secret-hygiene.js';

/** Every scope a key can have, valid or not. */
export const MATRIX_SCOPES = [
  'org-wide',
  'workspace A',
  'workspace B',
  'admin',
  'inactive',
  'expired',
  'revoked',
  'regenerated old, in grace',
  'regenerated old, after grace',
  'other environment',
] as const;
/** A key scope of {@link MATRIX_SCOPES}. */
export type MatrixScope = (typeof MATRIX_SCOPES)[number];

/** Every kind of route, with how the request targets a workspace. */
export const MATRIX_ROUTE_KINDS = [
  'public',
  'API',
  'workspace A via header',
  'workspace A via route',
  'archived workspace via header',
  'archived workspace via route',
  'unknown workspace via route',
  'admin',
  'unknown route',
] as const;
/** A route kind of {@link MATRIX_ROUTE_KINDS}. */
export type MatrixRouteKind = (typeof MATRIX_ROUTE_KINDS)[number];

/** The contract routes plus one public route. */
export const MATRIX_ROUTES: readonly ContractRoute[] = [
  ...CONTRACT_ROUTES,
  {
    method: 'GET',
    path: '/v1/public/status',
    requirements: {},
    public: true,
    handle: () => ({ route: 'public' }),
  },
];

const USABLE_AS_ORG: ReadonlySet<MatrixScope> = new Set(['org-wide', 'regenerated old, in grace']);

/**
 * The expected status of one cell. Unusable keys: 401 everywhere but public routes. Usable keys:
 * their own scope decides (403), an unknown route is a 404 only after authentication.
 *
 * @example
 * ```ts
 * expectedMatrixStatus('workspace B', 'workspace A via route'); // 403
 * ```
 */
export function expectedMatrixStatus(scope: MatrixScope, kind: MatrixRouteKind): number {
  if (kind === 'public') return 200;
  const usable =
    USABLE_AS_ORG.has(scope) || ['workspace A', 'workspace B', 'admin'].includes(scope);
  if (!usable) return 401;
  switch (kind) {
    case 'API':
      return 200;
    case 'workspace A via header':
    case 'workspace A via route':
      return scope === 'workspace B' ? 403 : 200;
    case 'archived workspace via header':
    case 'archived workspace via route':
    case 'unknown workspace via route':
      return 403;
    case 'admin':
      return scope === 'admin' ? 200 : 403;
    case 'unknown route':
      return 404;
  }
}

interface MatrixFixtures {
  secrets: Record<MatrixScope, string>;
  workspaces: { a: string; archived: string; unknown: string };
}

async function createMatrixFixtures(store: MemoryKeyStore): Promise<MatrixFixtures> {
  const keys = new KeyManager({ store, environment: 'live' });
  const a = await keys.createWorkspace({ name: 'a' });
  const b = await keys.createWorkspace({ name: 'b' });
  // Archived with no keys of its own: only organisation-wide keys could still reach it.
  const archived = await keys.createWorkspace({ name: 'archived' });
  await keys.archiveWorkspace(archived.id);
  const make = (name: string, input: Omit<CreateKeyInput, 'name'> = {}) =>
    keys.createKey({ name, permissions: ['*'], ...input });
  const inactive = await make('inactive');
  await keys.setKeyStatus(inactive.key.id, 'inactive');
  const expired = await make('expired');
  await store.updateKey(expired.key.id, { expiresAt: new Date(Date.now() - 60_000) });
  const revoked = await make('revoked');
  await keys.archiveKey(revoked.key.id);
  const inGrace = await make('rotated, in grace');
  await keys.regenerateKey(inGrace.key.id, { graceMs: 3_600_000 });
  const afterGrace = await make('rotated, no grace');
  await keys.regenerateKey(afterGrace.key.id, { graceMs: 0 });
  const secrets: Record<MatrixScope, string> = {
    'org-wide': (await make('org')).secret,
    'workspace A': (await make('workspace-a', { workspaceId: a.id })).secret,
    'workspace B': (await make('workspace-b', { workspaceId: b.id })).secret,
    admin: (await make('admin', { kind: 'admin' })).secret,
    inactive: inactive.secret,
    expired: expired.secret,
    revoked: revoked.secret,
    'regenerated old, in grace': inGrace.secret,
    'regenerated old, after grace': afterGrace.secret,
    'other environment': (await make('other-env', { environment: 'test' })).secret,
  };
  await keys.close();
  return { secrets, workspaces: { a: a.id, archived: archived.id, unknown: newWorkspaceId() } };
}

function requestFor(kind: MatrixRouteKind, secret: string, f: MatrixFixtures) {
  const headers: [string, string][] = [
    ['x-api-key', secret],
    ['anthropic-version', '2023-06-01'],
  ];
  const get = (path: string, extra: [string, string][] = []) => ({
    method: 'GET' as const,
    path,
    headers: [...headers, ...extra],
  });
  switch (kind) {
    case 'public':
      return get('/v1/public/status');
    case 'API':
      return get('/v1/models');
    case 'workspace A via header':
      return get('/v1/models', [['anthropic-workspace-id', f.workspaces.a]]);
    case 'workspace A via route':
      return get(`/v1/workspaces/${f.workspaces.a}/usage`);
    case 'archived workspace via header':
      return get('/v1/models', [['anthropic-workspace-id', f.workspaces.archived]]);
    case 'archived workspace via route':
      return get(`/v1/workspaces/${f.workspaces.archived}/usage`);
    case 'unknown workspace via route':
      return get(`/v1/workspaces/${f.workspaces.unknown}/usage`);
    case 'admin':
      return get('/v1/admin/keys');
    case 'unknown route':
      return get('/v1/no-such-route');
  }
}

/**
 * Registers the authorization matrix for one adapter: {@link MATRIX_SCOPES} ×
 * {@link MATRIX_ROUTE_KINDS}, each cell one HTTP request whose status must be
 * {@link expectedMatrixStatus}; every refusal and every 404 in the contract's JSON shape with a
 * `request-id`; and, after the matrix, no key material in any response or log line.
 *
 * @example
 * ```ts
 * runAuthorizationMatrix('express', startExpressContractServer);
 * ```
 */
export function runAuthorizationMatrix(
  adapterName: string,
  startServer: StartContractServer,
): void {
  describe(`${adapterName}: authorization matrix`, () => {
    const store = new MemoryKeyStore();
    const capture = createSecretCapture();
    let fixtures: MatrixFixtures;
    let authenticator: Authenticator;
    let server: Awaited<ReturnType<StartContractServer>>;

    beforeAll(async () => {
      fixtures = await createMatrixFixtures(store);
      authenticator = createAuthenticator({
        store,
        environment: 'live',
        failedAuth: { maxPerMinute: 100_000 },
        rateLimit: { key: { rpm: 100_000 }, workspace: false },
        logger: capture.logger,
      });
      server = await startServer({
        authenticator,
        routes: MATRIX_ROUTES,
        bodyLimitBytes: CONTRACT_BODY_LIMIT_BYTES,
        variant: 'default',
        vocabulary: 'spec',
      });
    });

    afterAll(async () => {
      await server?.close();
      await authenticator?.close();
    });

    const cells = MATRIX_SCOPES.flatMap((scope) =>
      MATRIX_ROUTE_KINDS.map((kind) => ({
        scope,
        kind,
        status: expectedMatrixStatus(scope, kind),
      })),
    );

    it.each(cells)('$scope × $kind → $status', async ({ scope, kind, status }) => {
      const spec = requestFor(kind, fixtures.secrets[scope], fixtures);
      const res = await sendContractRequest(server.baseUrl, spec);
      capture.record(`${spec.method} ${spec.path}`, `${JSON.stringify(res.headers)}\n${res.text}`);
      expect(res.status, res.text.slice(0, 200)).toBe(status);
      expect(res.headers['x-powered-by'], 'no framework banner').toBeUndefined();
      if (status === 200) return;
      expect(res.headers['content-type']).toMatch(/^application\/json(?:;|$)/);
      const body = JSON.parse(res.text) as {
        type: string;
        error: { type: string };
        request_id: string;
      };
      expect(body.type).toBe('error');
      expect(body.request_id).toBe(res.headers['request-id']);
      const expectedType = { 401: 'invalid_api_key', 403: 'access_denied', 404: 'not_found_error' }[
        status
      ];
      expect(body.error.type).toBe(expectedType);
    });

    it('leaks no key material in any response or log line of the matrix', () => {
      expect(capture.size).toBeGreaterThanOrEqual(cells.length);
      expect(capture.findings(Object.values(fixtures.secrets))).toEqual([]);
    });

    it('answers an unknown route without a key with 401, never 404 (no route discovery)', async () => {
      const res = await sendContractRequest(server.baseUrl, {
        method: 'GET',
        path: '/v1/no-such-route',
        headers: [['anthropic-version', '2023-06-01']],
      });
      expect(res.status).toBe(401);
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });
}
