import {
  ConfigurationError,
  MemoryKeyStore,
  createAuthenticator,
  type Authenticator,
} from '@claude-auth/core';
import { Router } from '@koa/router';
import Koa, { type Context } from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claudeAuth,
  claudeAuthErrorHandler,
  getClaudeAuth,
  requireApiKey,
  type ClaudeAuthState,
} from '../src/index.js';
import { listenOnLoopback as listen } from '../../testing/src/index.js';

const VERSION = '2023-06-01';
// Created at load time: the apps below are built while vitest collects the tests.
const authenticator: Authenticator = createAuthenticator({
  store: new MemoryKeyStore(),
  failedAuth: false,
});
let secrets: { reader: string; writer: string };

beforeAll(async () => {
  secrets = {
    reader: (await authenticator.keys.createKey({ name: 'reader', permissions: ['files:read'] }))
      .secret,
    writer: (await authenticator.keys.createKey({ name: 'writer', permissions: ['files:write'] }))
      .secret,
  };
});
afterAll(() => authenticator.close());

const headers = (key: string) => ({ 'x-api-key': key, 'anthropic-version': VERSION });

describe('getClaudeAuth', () => {
  it('throws a ConfigurationError that says to register claudeAuth() when it did not run', () => {
    const ctx = { method: 'GET', path: '/v1/models', state: {} } as Context;
    expect(() => getClaudeAuth(ctx)).toThrow(ConfigurationError);
    expect(() => getClaudeAuth(ctx)).toThrow(/GET \/v1\/models.*register app\.use\(claudeAuth/);
  });

  it('returns ctx.state.claudeAuth set by claudeAuth()', async () => {
    const app = new Koa<ClaudeAuthState>();
    app.use(claudeAuth({ authenticator }));
    app.use((ctx) => {
      ctx.body = {
        name: getClaudeAuth(ctx).keyName,
        same: getClaudeAuth(ctx) === ctx.state.claudeAuth,
      };
    });
    const server = await listen(app);
    try {
      const res = await fetch(server.baseUrl, { headers: headers(secrets.reader) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ name: 'reader', same: true });
    } finally {
      await server.close();
    }
  });
});

describe('requireApiKey per route', () => {
  const app = new Koa();
  app.silent = true;
  app.use(claudeAuthErrorHandler());
  app.use(claudeAuth({ authenticator, exclude: (ctx) => ctx.path.startsWith('/public') }));
  const router = new Router();
  const by = (ctx: Context) => void (ctx.body = { by: getClaudeAuth(ctx).keyName });
  router.get('/files', requireApiKey({ permissions: ['files:read'] }), by);
  router.post('/files', requireApiKey({ permissions: ['files:write'] }), by);
  router.get('/public/ping', (ctx) => void (ctx.body = { pong: true }));
  router.get('/public/guarded', requireApiKey(), by);
  app.use(router.routes());
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => void (server = await listen(app)));
  afterAll(() => server.close());

  it.each([
    ['GET', '/files', 'reader', 200],
    ['GET', '/files', 'writer', 403],
    ['POST', '/files', 'writer', 200],
    ['POST', '/files', 'reader', 403],
    ['GET', '/public/ping', null, 200],
    ['GET', '/public/guarded', 'reader', 200],
    ['GET', '/public/guarded', null, 401],
  ] as const)('%s %s with %s key -> %i', async (method, path, who, status) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: who === null ? { 'anthropic-version': VERSION } : headers(secrets[who]),
    });
    expect(res.status).toBe(status);
    if (status === 200 && who !== null) expect(await res.json()).toEqual({ by: who });
    if (status !== 200) expect(res.headers.get('request-id')).toMatch(/^req_/);
  });

  it('authenticates on its own with an explicit authenticator (no global middleware)', async () => {
    const solo = new Koa();
    solo.use(requireApiKey({}, { authenticator }));
    solo.use(by);
    const s = await listen(solo);
    try {
      expect((await fetch(s.baseUrl, { headers: headers(secrets.writer) })).status).toBe(200);
      expect((await fetch(s.baseUrl, { headers: headers('nope') })).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('without any authenticator answers 500 api_error', async () => {
    const bare = new Koa();
    bare.silent = true;
    bare.use(claudeAuthErrorHandler());
    bare.use(requireApiKey());
    const s = await listen(bare);
    try {
      const res = await fetch(s.baseUrl, { headers: headers(secrets.writer) });
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    } finally {
      await s.close();
    }
  });
});
