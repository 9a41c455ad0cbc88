import {
  ConfigurationError,
  MemoryKeyStore,
  createAuthenticator,
  type Authenticator,
} from '@claude-auth/core';
import express, { type Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeAuth, claudeAuthErrorHandler, getClaudeAuth, requireApiKey } from '../src/index.js';
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
    const req = { method: 'GET', path: '/v1/models' } as Request;
    expect(() => getClaudeAuth(req)).toThrow(ConfigurationError);
    expect(() => getClaudeAuth(req)).toThrow(
      /register app\.use\(claudeAuth\(\.\.\.\)\).*GET \/v1\/models|GET \/v1\/models.*register app\.use\(claudeAuth/,
    );
  });

  it('returns the caller attached by claudeAuth()', async () => {
    const app = express();
    app.use(claudeAuth({ authenticator }));
    app.get('/me', (req, res) =>
      res.json({ name: getClaudeAuth(req).keyName, hint: getClaudeAuth(req).keyHint }),
    );
    const server = await listen(app);
    try {
      const res = await fetch(`${server.baseUrl}/me`, { headers: headers(secrets.reader) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { name: string; hint: string };
      expect(body.name).toBe('reader');
      expect(body.hint).not.toBe(secrets.reader);
    } finally {
      await server.close();
    }
  });
});

describe('requireApiKey per route', () => {
  const app = express();
  app.use(claudeAuth({ authenticator, exclude: (req) => req.path.startsWith('/public') }));
  app.get('/files', requireApiKey({ permissions: ['files:read'] }), (req, res) =>
    res.json({ by: getClaudeAuth(req).keyName }),
  );
  app.post('/files', requireApiKey({ permissions: ['files:write'] }), (req, res) =>
    res.json({ by: getClaudeAuth(req).keyName }),
  );
  app.get('/public/ping', (_req, res) => res.json({ pong: true }));
  app.get('/public/guarded', requireApiKey(), (req, res) =>
    res.json({ by: getClaudeAuth(req).keyName }),
  );
  app.use(claudeAuthErrorHandler());
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
    const solo = express();
    solo.get('/x', requireApiKey({}, { authenticator }), (req, res) =>
      res.json({ by: getClaudeAuth(req).keyName }),
    );
    const s = await listen(solo);
    try {
      expect((await fetch(`${s.baseUrl}/x`, { headers: headers(secrets.writer) })).status).toBe(
        200,
      );
      expect((await fetch(`${s.baseUrl}/x`, { headers: headers('nope') })).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('without any authenticator answers 500 api_error naming no internals', async () => {
    const bare = express();
    bare.get('/x', requireApiKey(), (_req, res) => res.json({}));
    bare.use(claudeAuthErrorHandler());
    const s = await listen(bare);
    try {
      const res = await fetch(`${s.baseUrl}/x`, { headers: headers(secrets.writer) });
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    } finally {
      await s.close();
    }
  });
});
