import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { MemoryKeyStore, createAuthenticator, type Authenticator } from '@claude-auth/core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { listenOnLoopback, type ListeningServer } from './listen.js';

/** Builds the adapter's app: `claudeAuth`, the proxy to `upstreamBaseUrl`, the error handler. */
export type BuildProxyApp = (
  authenticator: Authenticator,
  upstreamBaseUrl: string,
) => { listen(port: number, host: string): Server };

/**
 * The proxy behaviour every adapter shares, against a recording upstream that reports 1M input
 * tokens: an authenticated call is forwarded with the upstream key and its usage debited to the
 * caller's workspace; a call without a valid key never reaches the upstream.
 *
 * @example
 * ```ts
 * runProxySuite((authenticator, baseUrl) => {
 *   const app = express();
 *   app.use(claudeAuth({ authenticator }), claudeProxy({ baseUrl, apiKey: 'sk-upstream' }));
 *   return app;
 * });
 * ```
 */
export function runProxySuite(build: BuildProxyApp): void {
  const store = new MemoryKeyStore();
  const authenticator = createAuthenticator({ store, failedAuth: false });
  let seen: IncomingHttpHeaders = {};
  const upstreamServer = createServer((req, res) => {
    seen = req.headers;
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_upstream' });
      res.end('{"model":"claude-sonnet-4-5","usage":{"input_tokens":1000000,"output_tokens":0}}');
    });
  });
  let upstream: ListeningServer;
  let gateway: ListeningServer;
  let secret: string;
  let workspaceId: string;

  beforeAll(async () => {
    upstream = await listenOnLoopback(upstreamServer);
    gateway = await listenOnLoopback(build(authenticator, upstream.baseUrl));
    const workspace = await authenticator.keys.createWorkspace({
      name: 'team',
      monthlySpendLimitUsd: 5,
    });
    workspaceId = workspace.id;
    secret = (await authenticator.keys.createKey({ name: 'team key', workspaceId })).secret;
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
    await authenticator.close();
  });

  it('forwards an authenticated request with the upstream key and debits its usage', async () => {
    const response = await fetch(`${gateway.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': secret,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: '{"model":"claude-sonnet-4-5"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('request-id')).toBe('req_upstream');
    expect(response.headers.get('x-claude-auth-request-id')).toMatch(/^req_/);
    expect(seen['x-api-key']).toBe('sk-upstream');
    await response.text();
    const period = new Date().toISOString().slice(0, 7);
    await vi.waitFor(async () => expect(await store.getSpend(workspaceId, period)).toBe(3_000_000));
  });

  it('never reaches the upstream without a valid key', async () => {
    seen = {};
    const response = await fetch(`${gateway.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'nope', 'anthropic-version': '2023-06-01' },
    });
    expect(response.status).toBe(401);
    expect(seen).toEqual({});
  });
}
