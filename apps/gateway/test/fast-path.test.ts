import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClaudeProxy, loadConfig } from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/runtime.js';
import {
  MOCK_UPSTREAM_KEY,
  createGatewayApp,
  startMockUpstream,
  type GatewayApp,
  type MockUpstream,
} from '../src/index.js';
import type { Readiness } from '../src/readiness.js';

// The server serves `handler`, which runs a proxied call's middleware without Express's routing:
// every request must get the answer `app` (the full Express chain) gives.
const dir = mkdtempSync(path.join(tmpdir(), 'gateway-fast-path-'));
const config = loadConfig({
  env: {},
  overrides: { storeUrl: `sqlite:${path.join(dir, 'keys.db')}`, logLevel: 'error' },
});
const quiet = { warn: () => undefined, error: () => undefined };
const VERSION = '2023-06-01';
const BODY = JSON.stringify({
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Hello, Claude' }],
});

let runtime: Awaited<ReturnType<typeof createRuntime>>;
let mock: MockUpstream;
let gateway: GatewayApp;
let viaExpress: string;
let viaHandler: string;
let key: string;
let adminKey: string;
let teamId: string;
const servers: Server[] = [];

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  runtime = await createRuntime(config, { logger: quiet });
  mock = await startMockUpstream({ streamDelayMs: 1 });
  const proxy = createClaudeProxy({ baseUrl: mock.url, apiKey: MOCK_UPSTREAM_KEY, logger: quiet });
  const ready: Readiness = {
    ready: true,
    checks: {
      store: { ok: true, status: 'ok' },
      redis: { ok: true, status: 'skipped' },
      upstream: { ok: true, status: 'ok' },
      upstream_key: { ok: true, status: 'ok' },
    },
  };
  gateway = createGatewayApp({
    authenticatorOptions: runtime.authenticatorOptions,
    proxy,
    readiness: () => Promise.resolve(ready),
    maxBodyBytes: 2000,
  });
  const keys = gateway.authenticator.keys;
  const team = await keys.createWorkspace({ name: 'team', monthlySpendLimitUsd: 100 });
  teamId = team.id;
  key = (await keys.createKey({ name: 'team', workspaceId: team.id })).secret;
  adminKey = (await keys.createKey({ name: 'admin', kind: 'admin' })).secret;
  viaExpress = await listen(gateway.app);
  viaHandler = await listen(gateway.handler);
});

afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await gateway.authenticator.close();
  await mock.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Status, content type and body (without per-request ids) of one request. */
async function answer(base: string, pathname: string, init: RequestInit) {
  const response = await fetch(`${base}${pathname}`, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: compared as text
  }
  if (typeof body === 'object' && body !== null) {
    delete (body as { request_id?: unknown }).request_id;
    delete (body as { id?: unknown }).id;
  }
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    ownId: response.headers.get('x-claude-auth-request-id') !== null,
    shouldRetry: response.headers.get('x-should-retry'),
    body,
  };
}

const headers = (extra: Record<string, string> = {}) => ({
  'anthropic-version': VERSION,
  'content-type': 'application/json',
  ...extra,
});

const CASES: Array<[string, string, () => RequestInit]> = [
  [
    'a proxied message',
    '/v1/messages',
    () => ({ method: 'POST', headers: headers({ 'x-api-key': key }), body: BODY }),
  ],
  [
    'a proxied GET with a query',
    '/v1/models?limit=2',
    () => ({ headers: headers({ 'x-api-key': key }) }),
  ],
  ['no key', '/v1/messages', () => ({ method: 'POST', headers: headers(), body: BODY })],
  [
    'a wrong key',
    '/v1/messages',
    () => ({
      method: 'POST',
      headers: headers({ 'x-api-key': `${key.slice(0, -4)}AAAA` }),
      body: BODY,
    }),
  ],
  [
    'no anthropic-version',
    '/v1/messages',
    () => ({
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: BODY,
    }),
  ],
  [
    'an upper-case /V1 path',
    '/V1/messages',
    () => ({ method: 'POST', headers: headers({ 'x-api-key': key }), body: BODY }),
  ],
  [
    'a chunked body (no content-length)',
    '/v1/messages',
    () => ({
      method: 'POST',
      headers: headers({ 'x-api-key': key }),
      body: new Blob([BODY]).stream(),
      duplex: 'half',
    }),
  ],
  [
    'a body over the limit',
    '/v1/messages',
    () => ({
      method: 'POST',
      headers: headers({ 'x-api-key': key }),
      body: JSON.stringify({ padding: 'x'.repeat(3000) }),
    }),
  ],
  [
    'a chunked body over the limit',
    '/v1/messages',
    () => ({
      method: 'POST',
      headers: headers({ 'x-api-key': key }),
      body: new Blob([JSON.stringify({ padding: 'x'.repeat(3000) })]).stream(),
      duplex: 'half',
    }),
  ],
  [
    'the admin API',
    '/v1/organizations/workspaces',
    () => ({ headers: headers({ 'x-api-key': adminKey }) }),
  ],
  [
    'the admin API, other case',
    '/v1/Organizations/workspaces',
    () => ({ headers: headers({ 'x-api-key': adminKey }) }),
  ],
  [
    'the admin API with an API key',
    '/v1/organizations/workspaces',
    () => ({ headers: headers({ 'x-api-key': key }) }),
  ],
  ['an unknown non-API path', '/nowhere', () => ({ headers: headers({ 'x-api-key': key }) })],
  ['/healthz', '/healthz', () => ({})],
];

describe('the gateway listener (proxied calls without Express routing)', () => {
  it.each(CASES)('answers %s as the Express app does', async (_name, pathname, init) => {
    const expected = await answer(viaExpress, pathname, init());
    const actual = await answer(viaHandler, pathname, init());
    expect(actual).toEqual(expected);
  });

  it('debits a proxied reply on the fast path as on the Express path', async () => {
    const period = new Date().toISOString().slice(0, 7);
    const spent = () => runtime.store.getSpend(teamId, period);
    const start = await spent();
    const init = () => ({ method: 'POST', headers: headers({ 'x-api-key': key }), body: BODY });
    expect((await answer(viaExpress, '/v1/messages', init())).status).toBe(200);
    const one = (await spent()) - start;
    expect(one).toBeGreaterThan(0);
    expect((await answer(viaHandler, '/v1/messages', init())).status).toBe(200);
    expect((await spent()) - start).toBe(2 * one);
  });
});
