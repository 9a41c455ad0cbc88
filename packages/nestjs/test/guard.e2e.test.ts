import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyManager } from '@claude-auth/core';
import { ClaudeAuthModule } from '../src/index.js';
import { TestAppController } from './support/test-app.controller.js';
import { PLATFORMS, authHeaders, startApp, type StartedApp } from './support/platforms.js';

const REQUEST_ID = /^req_[0-9A-Za-z]+$/;

describe.each(PLATFORMS)('ApiKeyGuard + ClaudeAuthExceptionFilter on %s', (platform) => {
  let started: StartedApp;
  let keys: KeyManager;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ClaudeAuthModule.forRoot({ global: true, failedAuth: false })],
      controllers: [TestAppController],
    }).compile();
    started = await startApp(moduleRef, platform);
    keys = started.app.get(KeyManager);
  });
  afterAll(async () => {
    await started.app.close();
  });

  const call = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${started.url}${path}`, init);

  async function createKey(input: Parameters<KeyManager['createKey']>[0]): Promise<string> {
    return (await keys.createKey(input)).secret;
  }

  it('lets a @Public() route through without a key', async () => {
    const res = await call('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers a missing key with the exact 401 contract body and request-id header', async () => {
    const res = await call('/v1/whoami', { headers: authHeaders() });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const requestId = res.headers.get('request-id');
    expect(requestId).toMatch(REQUEST_ID);
    expect(await res.json()).toEqual({
      type: 'error',
      error: {
        type: 'authentication_error',
        message:
          'Missing API key: send it in the x-api-key header or as Authorization: Bearer <key>',
      },
      request_id: requestId,
    });
  });

  it('answers a malformed key with 401 invalid_api_key and never echoes the key', async () => {
    const bad = 'cla_api_live_thisIsNotARealKeyButLooksSecret0123456789abcdefghij';
    const res = await call('/v1/whoami', { headers: authHeaders(bad) });
    const text = await res.text();
    expect(res.status).toBe(401);
    expect(JSON.parse(text)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_api_key', message: 'Invalid API key' },
    });
    expect(text).not.toContain('thisIsNotARealKey');
  });

  it('answers a missing anthropic-version with 400', async () => {
    const secret = await createKey({ name: 'no-version' });
    const res = await call('/v1/whoami', { headers: { 'x-api-key': secret } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('accepts a valid key, sets request-id, and injects @ClaudeAuth()', async () => {
    const { secret, key } = await keys.createKey({ name: 'whoami' });
    const res = await call('/v1/whoami', { headers: authHeaders(secret) });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('request-id');
    expect(requestId).toMatch(REQUEST_ID);
    expect(await res.json()).toEqual({
      keyId: key.id,
      hint: key.hint,
      workspaceId: null,
      requestId,
    });
  });

  it('enforces @RequirePermissions() with 403 access_denied', async () => {
    const reader = await createKey({ name: 'reader', permissions: ['messages:read'] });
    const writer = await createKey({ name: 'writer', permissions: ['messages:write'] });
    const init = (key: string): RequestInit => ({
      method: 'POST',
      headers: authHeaders(key, { 'content-type': 'application/json' }),
      body: JSON.stringify({ hello: 'world' }),
    });
    const denied = await call('/v1/messages', init(reader));
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ type: 'error', error: { type: 'access_denied' } });
    const allowed = await call('/v1/messages', init(writer));
    expect(allowed.status).toBe(201);
    expect(await allowed.json()).toEqual({ echo: { hello: 'world' } });
  });

  it('enforces @Workspace({ param }) against the key workspace', async () => {
    const a = await keys.createWorkspace({ name: 'A' });
    const b = await keys.createWorkspace({ name: 'B' });
    const secret = await createKey({ name: 'ws-a', workspaceId: a.id });
    const own = await call(`/v1/workspaces/${a.id}/usage`, { headers: authHeaders(secret) });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ workspaceId: a.id });
    const other = await call(`/v1/workspaces/${b.id}/usage`, { headers: authHeaders(secret) });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: { type: 'access_denied' } });
    const orgWide = await createKey({ name: 'org' });
    const any = await call(`/v1/workspaces/${b.id}/usage`, { headers: authHeaders(orgWide) });
    expect(any.status).toBe(200);
    expect(await any.json()).toEqual({ workspaceId: b.id });
  });

  it('enforces @AdminOnly()', async () => {
    const api = await createKey({ name: 'api' });
    const admin = await createKey({ name: 'admin', kind: 'admin' });
    expect((await call('/v1/admin', { headers: authHeaders(api) })).status).toBe(403);
    const ok = await call('/v1/admin', { headers: authHeaders(admin) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ admin: true });
  });

  it('uses the KeyManager injected by class into a controller: create a key, then call with it', async () => {
    const created = await call('/setup/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'via-controller' }),
    });
    expect(created.status).toBe(201);
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    const res = await call('/v1/whoami', { headers: authHeaders(secret) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ keyId: id });
    await keys.archiveKey(id);
    expect((await call('/v1/whoami', { headers: authHeaders(secret) })).status).toBe(401);
  });

  it('turns an unknown error into a 500 api_error without stack or message', async () => {
    const secret = await createKey({ name: 'boom' });
    const res = await call('/v1/boom', { headers: authHeaders(secret) });
    const text = await res.text();
    expect(res.status).toBe(500);
    const requestId = res.headers.get('request-id');
    expect(requestId).toMatch(REQUEST_ID);
    expect(JSON.parse(text)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'Internal server error' },
      request_id: requestId,
    });
    expect(text).not.toMatch(/hunter2|internal\.ts|\bat\s/);
  });

  it("leaves Nest's own HttpExceptions untouched", async () => {
    const secret = await createKey({ name: 'missing' });
    const res = await call('/v1/missing', { headers: authHeaders(secret) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      statusCode: 404,
      message: 'No such thing',
      error: 'Not Found',
    });
  });

  it('answers @ClaudeAuth() on a route the guard skipped with a 500, not a crash', async () => {
    const res = await call('/public/whoami');
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      error: { type: 'api_error', message: 'Internal server error' },
    });
  });
});
