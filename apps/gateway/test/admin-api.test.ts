import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type ClaudeAuthConfig } from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gateway-admin-'));
const config: ClaudeAuthConfig = loadConfig({
  env: {},
  overrides: { storeUrl: `sqlite:${path.join(dir, 'keys.db')}`, logLevel: 'error' },
});
const quiet = { warn: () => undefined, error: () => undefined };
const VERSION = '2023-06-01';

let gateway: RunningGateway;
let adminKey: string;

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & {
    data?: Array<Record<string, unknown>>;
    error?: { type: string; message: string };
  };
}

/** One admin API call with curl's ingredients: method, path, JSON body, key. */
async function call(
  method: string,
  route: string,
  body?: unknown,
  key: string = adminKey,
  raw?: string,
): Promise<Reply> {
  const response = await fetch(`${gateway.url}/v1/organizations${route}`, {
    method,
    headers: {
      'x-api-key': key,
      'anthropic-version': VERSION,
      ...(body === undefined && raw === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined && raw === undefined ? {} : { body: raw ?? JSON.stringify(body) }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Reply['body'],
  };
}

const message = (key: string) =>
  fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': VERSION, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-6',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Hi' }],
    }),
  });

beforeAll(async () => {
  gateway = await startGateway(config, { port: 0, env: {}, logger: quiet, print: () => {} });
  adminKey = gateway.adminKey!;
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('admin API: workspaces', () => {
  it('creates, retrieves, updates, lists and archives a workspace with its spend', async () => {
    const created = await call('POST', '/workspaces', { name: 'Research', spend_limit_usd: 25 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^wrkspc_/),
      type: 'workspace',
      name: 'Research',
      archived_at: null,
      status: 'active',
      spend_limit_usd: 25,
      spend: { spent_usd: 0, spent_micros: 0, limit_usd: 25 },
    });
    expect(created.body.spend).toMatchObject({ period: new Date().toISOString().slice(0, 7) });
    expect(created.headers.get('cache-control')).toBeNull();

    expect((await call('GET', `/workspaces/${id}`)).body).toEqual(created.body);
    const updated = await call('POST', `/workspaces/${id}`, {
      name: 'Research & Dev',
      spend_limit_usd: null,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Research & Dev', spend_limit_usd: null });

    const listed = await call('GET', '/workspaces?limit=1000');
    expect(listed.body.data!.map((w) => w.id)).toContain(id);
    expect(listed.body).toMatchObject({ has_more: false, first_id: expect.any(String) });

    const other = (await call('POST', '/workspaces', { name: 'Other' })).body.id as string;
    const byIds = await call(
      'GET',
      `/workspaces?ids[]=${id}&ids[]=${other}&ids[]=wrkspc_nope&limit=1`,
    );
    expect(byIds.body).toMatchObject({ has_more: true, first_id: other, last_id: other });
    const nextByIds = await call('GET', `/workspaces?ids[]=${id}&ids[]=${other}&after_id=${other}`);
    expect(nextByIds.body.data!.map((w) => w.id)).toEqual([id]);

    const archived = await call('POST', `/workspaces/${id}/archive`);
    expect(archived.body).toMatchObject({
      id,
      status: 'archived',
      archived_at: expect.any(String),
    });
    expect((await call('GET', '/workspaces')).body.data!.map((w) => w.id)).not.toContain(id);
    expect(
      (await call('GET', '/workspaces?include_archived=true')).body.data!.map((w) => w.id),
    ).toContain(id);
    const rename = await call('POST', `/workspaces/${id}`, { name: 'again' });
    expect(rename.status).toBe(400);
  });

  it('answers 404 for an unknown workspace and 400 naming the field for a bad body', async () => {
    for (const route of ['/workspaces/wrkspc_nope', '/workspaces/../x']) {
      const reply = await call('GET', route);
      expect(reply.status).toBe(404);
      expect(reply.body.error!.type).toBe('not_found_error');
    }
    expect((await call('POST', '/workspaces/wrkspc_nope/archive')).status).toBe(404);
    const cases: Array<[unknown, string]> = [
      [{}, 'name'],
      [{ name: 3 }, 'name'],
      [{ name: 'x', spend_limit_usd: -1 }, 'spend_limit_usd'],
      [{ name: 'x', spend_limit_usd: '5' }, 'spend_limit_usd'],
      [{ name: 'x', rate_limit: { rpm: 0 } }, 'rate_limit.rpm'],
      [{ name: 'x', colour: 'red' }, '"colour"'],
      [{ name: 'x', 'cla_api_live_secret-looking key!': 1 }, '(not shown)'],
      [[1, 2], 'JSON object'],
    ];
    for (const [body, field] of cases) {
      const reply = await call('POST', '/workspaces', body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error!.type).toBe('invalid_request_error');
      expect(reply.body.error!.message).toContain(field);
    }
    const malformed = await call('POST', '/workspaces', undefined, adminKey, '{"name":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error!.type).toBe('invalid_request_error');
  });
});

describe('admin API: API keys', () => {
  let workspaceId: string;
  beforeAll(async () => {
    workspaceId = (await call('POST', '/workspaces', { name: 'Keys' })).body.id as string;
  });

  it('creates a key: the secret once, with cache-control: no-store, and it works at once', async () => {
    const created = await call('POST', '/api_keys', {
      name: 'Production',
      workspace_id: workspaceId,
      permissions: ['messages:write'],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^cla_api_live_/);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^key_/),
      type: 'api_key',
      name: 'Production',
      workspace_id: workspaceId,
      scope: { type: 'workspace', workspace_id: workspaceId },
      status: 'active',
      permissions: ['messages:write'],
      expires_at: null,
      last_used_at: null,
      created_by: { type: 'service_account', id: expect.stringMatching(/^key_/) },
    });
    expect(created.body.partial_key_hint).toMatch(/^cla_api_live_.*[A-Za-z0-9]{4}$/);
    expect(secret.endsWith((created.body.partial_key_hint as string).slice(-4))).toBe(true);
    expect((await message(secret)).status).toBe(200);

    const retrieved = await call('GET', `/api_keys/${created.body.id as string}`);
    expect(retrieved.status).toBe(200);
    expect(retrieved.body.secret).toBeUndefined();
    expect(JSON.stringify(retrieved.body)).not.toContain(secret.slice(-12));
    expect(retrieved.headers.get('cache-control')).toBeNull();
    expect(retrieved.body).toMatchObject({ id: created.body.id, name: 'Production' });
  });

  it('shows last_used_at right after a key is used (this instance flushes before reading)', async () => {
    const created = await call('POST', '/api_keys', { name: 'Fresh', workspace_id: workspaceId });
    const id = created.body.id as string;
    expect(created.body.last_used_at).toBeNull();
    const before = Date.now();
    expect((await message(created.body.secret as string)).status).toBe(200);

    const retrieved = await call('GET', `/api_keys/${id}`);
    expect(Date.parse(retrieved.body.last_used_at as string)).toBeGreaterThanOrEqual(before - 1000);
    const listed = await call('GET', `/api_keys?workspace_id=${workspaceId}`);
    const row = listed.body.data!.find((key) => key.id === id);
    expect(row?.last_used_at).toBe(retrieved.body.last_used_at);
  });

  it('refuses a normal key on every admin route with 403, and a missing key with 401', async () => {
    const normal = (await call('POST', '/api_keys', { name: 'normal', workspace_id: workspaceId }))
      .body.secret as string;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api_keys'],
      ['POST', '/api_keys', { name: 'x' }],
      ['GET', '/api_keys/key_x'],
      ['POST', '/api_keys/key_x', { name: 'x' }],
      ['POST', '/api_keys/key_x/regenerate', {}],
      ['DELETE', '/api_keys/key_x'],
      ['GET', '/workspaces'],
      ['POST', '/workspaces', { name: 'x' }],
      ['POST', `/workspaces/${workspaceId}/archive`],
      ['GET', '/analytics/usage?starting_at=2026-11-01T00:00:00Z'],
      ['GET', '/unknown'],
    ];
    for (const [method, route, body] of routes) {
      const reply = await call(method, route, body, normal);
      expect(reply.status, `${method} ${route}`).toBe(403);
      expect(reply.body.error!.type).toBe('access_denied');
    }
    const anonymous = await fetch(`${gateway.url}/v1/organizations/api_keys`, {
      headers: { 'anthropic-version': VERSION },
    });
    expect(anonymous.status).toBe(401);
    // In the Claude API's vocabulary the same refusal is a 403 permission_error.
    const claude = await startGateway(
      loadConfig({
        env: {},
        overrides: {
          storeUrl: `sqlite:${path.join(dir, 'keys.db')}`,
          logLevel: 'error',
          vocabulary: 'claude',
        },
      }),
      { port: 0, env: {}, logger: quiet, print: () => {} },
    );
    try {
      const refused = await fetch(`${claude.url}/v1/organizations/api_keys`, {
        headers: { 'x-api-key': normal, 'anthropic-version': VERSION },
      });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { type: 'permission_error' } });
    } finally {
      await claude.close();
    }
    // The workspace was not archived by the refused call.
    expect((await call('GET', `/workspaces/${workspaceId}`)).body.status).toBe('active');
  });

  it('pages with after_id, before_id and limit, newest first', async () => {
    const ws = (await call('POST', '/workspaces', { name: 'Paging' })).body.id as string;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.unshift(
        (await call('POST', '/api_keys', { name: `k${i}`, workspace_id: ws })).body.id as string,
      );
    }
    const all = await call('GET', `/api_keys?workspace_id=${ws}`);
    expect(all.body.data!.map((k) => k.id)).toEqual(ids);
    expect(all.body).toMatchObject({ has_more: false, first_id: ids[0], last_id: ids[4] });

    const first = await call('GET', `/api_keys?workspace_id=${ws}&limit=2`);
    expect(first.body).toMatchObject({ has_more: true, first_id: ids[0], last_id: ids[1] });
    const second = await call('GET', `/api_keys?workspace_id=${ws}&limit=2&after_id=${ids[1]}`);
    expect(second.body.data!.map((k) => k.id)).toEqual([ids[2], ids[3]]);
    expect(second.body.has_more).toBe(true);
    const third = await call('GET', `/api_keys?workspace_id=${ws}&limit=2&after_id=${ids[3]}`);
    expect(third.body).toMatchObject({ has_more: false, first_id: ids[4], last_id: ids[4] });

    const back = await call('GET', `/api_keys?workspace_id=${ws}&limit=2&before_id=${ids[4]}`);
    expect(back.body.data!.map((k) => k.id)).toEqual([ids[2], ids[3]]);
    expect(back.body.has_more).toBe(true);
    const front = await call('GET', `/api_keys?workspace_id=${ws}&limit=2&before_id=${ids[2]}`);
    expect(front.body.data!.map((k) => k.id)).toEqual([ids[0], ids[1]]);
    expect(front.body.has_more).toBe(false);

    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=abc', 'limit'],
      [`after_id=${ids[0]}&before_id=${ids[1]}`, 'after_id or before_id'],
      ['after_id=key_nope', 'after_id'],
      ['before_id=key_nope', 'before_id'],
      ['status=gone', 'status'],
    ]) {
      const reply = await call('GET', `/api_keys?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.body.error!.message).toContain(field);
    }
  });

  it('filters by status, updates name and status, refuses changes to an archived key', async () => {
    const created = await call('POST', '/api_keys', { name: 'temp', workspace_id: workspaceId });
    const id = created.body.id as string;
    const secret = created.body.secret as string;
    const renamed = await call('POST', `/api_keys/${id}`, { name: 'renamed', status: 'inactive' });
    expect(renamed.body).toMatchObject({ name: 'renamed', status: 'inactive' });
    expect((await message(secret)).status).toBe(401);
    const inactive = await call('GET', `/api_keys?status=inactive&workspace_id=${workspaceId}`);
    expect(inactive.body.data!.map((k) => k.id)).toEqual([id]);
    expect((await call('POST', `/api_keys/${id}`, { status: 'active' })).body.status).toBe(
      'active',
    );
    expect((await message(secret)).status).toBe(200);
    // What the SDK sends for unset fields: null leaves them alone.
    expect((await call('POST', `/api_keys/${id}`, { name: null, status: null })).body.name).toBe(
      'renamed',
    );

    expect((await call('POST', `/api_keys/${id}`, { status: 'archived' })).body.status).toBe(
      'archived',
    );
    expect((await message(secret)).status).toBe(401);
    const again = await call('POST', `/api_keys/${id}`, { name: 'back' });
    expect(again.status).toBe(400);
    for (const [body, field] of [
      [{ status: 'paused' }, 'status'],
      [{ name: 5 }, 'name'],
      [{ expires_at: 'tomorrow' }, 'expires_at'],
      [{ expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
      [{ permissions: 'all' }, 'permissions'],
      [{ hash: 'x' }, 'hash'],
    ] as const) {
      const reply = await call('POST', `/api_keys/${id}`, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error!.message).toContain(field);
    }
    expect((await call('POST', '/api_keys/key_nope', { name: 'x' })).status).toBe(404);
    expect((await call('GET', '/api_keys/key_nope')).status).toBe(404);
  });

  it('validates a new key: name, workspace_id, expires_at, kind', async () => {
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x', workspace_id: 'wrkspc_nope' }, 'workspace_id'],
      [{ name: 'x', workspace_id: 7 }, 'workspace_id'],
      [{ name: 'x', expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
      [{ name: 'x', kind: 'root' }, 'kind'],
      [{ name: 'x', permissions: [1] }, 'permission'],
    ] as const) {
      const reply = await call('POST', '/api_keys', body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error!.type).toBe('invalid_request_error');
      expect(reply.body.error!.message).toContain(field);
    }
  });

  it('regenerates a secret: shown once with no-store; the old one works only during the grace period', async () => {
    const created = await call('POST', '/api_keys', {
      name: 'rotating',
      workspace_id: workspaceId,
    });
    const id = created.body.id as string;
    const old = created.body.secret as string;
    const graced = await call('POST', `/api_keys/${id}/regenerate`, { grace_period_seconds: 3600 });
    expect(graced.status).toBe(200);
    expect(graced.headers.get('cache-control')).toBe('no-store');
    const fresh = graced.body.secret as string;
    expect(fresh).not.toBe(old);
    expect(graced.body.id).toBe(id);
    expect((await message(fresh)).status).toBe(200);
    expect((await message(old)).status).toBe(200);

    const now = await call('POST', `/api_keys/${id}/regenerate`);
    const newest = now.body.secret as string;
    expect((await message(newest)).status).toBe(200);
    expect((await message(fresh)).status).toBe(401);
    for (const grace of [-1, 1.5, '60', 31 * 86_400]) {
      const reply = await call('POST', `/api_keys/${id}/regenerate`, {
        grace_period_seconds: grace,
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error!.message).toContain('grace_period_seconds');
    }
    expect((await call('POST', '/api_keys/key_nope/regenerate')).status).toBe(404);
  });

  it('refuses list parameters it does not implement (created_by_user_id, include_default), naming them', async () => {
    const cases: Array<[string, string]> = [
      ['/api_keys?created_by_user_id=user_1', '"created_by_user_id"'],
      ['/workspaces?include_default=true', '"include_default"'],
      ['/api_keys?limit=5&nonsense=1', '"nonsense"'],
    ];
    for (const [url, name] of cases) {
      const reply = await call('GET', url);
      expect(reply.status, url).toBe(400);
      expect(reply.body).toMatchObject({
        error: { type: 'invalid_request_error', message: expect.stringContaining(name) },
      });
    }
    expect((await call('GET', '/workspaces?include_archived=true&limit=5')).status).toBe(200);
  });

  it('deletes a key for good, but never the calling admin key itself', async () => {
    const created = await call('POST', '/api_keys', { name: 'gone', workspace_id: workspaceId });
    const id = created.body.id as string;
    const deleted = await call('DELETE', `/api_keys/${id}`);
    expect(deleted.body).toEqual({ id, type: 'api_key_deleted' });
    expect((await call('GET', `/api_keys/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/api_keys/${id}`)).status).toBe(404);
    expect((await message(created.body.secret as string)).status).toBe(401);

    const self = (await call('GET', '/api_keys?limit=1000')).body.data!.find(
      (k) => k.kind === 'admin',
    )!;
    const selfDelete = await call('DELETE', `/api_keys/${self.id as string}`);
    expect(selfDelete.status).toBe(400);
    expect(selfDelete.body).toMatchObject({
      error: { message: 'An admin key cannot delete itself; use another admin key' },
    });
    const selfInactive = await call('POST', `/api_keys/${self.id as string}`, {
      status: 'inactive',
    });
    expect(selfInactive.status).toBe(400);
    expect(selfInactive.body).toMatchObject({
      error: {
        message: 'An admin key cannot set its own status to inactive; use another admin key',
      },
    });
  });
});
