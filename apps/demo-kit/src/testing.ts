/**
 * The one test suite every demo runs (import from `@claude-auth/demo-kit/testing`, under vitest):
 * the spec's curl request, `Authorization: Bearer` with version 2026-10-21, streaming, lenient
 * request validation, the model list, the contract's 401/400/429 bodies, spend limits and a
 * revocation through a second connection to the same SQLite file (as the CLI does it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyManager, loadConfig } from '@claude-auth/core';
import { openStore } from '@claude-auth/runtime';
import type { RunningServer, StartServer } from './start-demo-server.js';

export { runSummarizeSuite, type MockClaudeApi } from './summarize-suite.js';

const HEADERS = { 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const CURL_BODY = {
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello, Claude' }],
};

/**
 * Registers the demo suite for one demo: starts it with `startServer` on a temporary SQLite store
 * (port 0, the configured default host), drives it over HTTP and, like the CLI, with a key manager
 * on its own connection to the store, and stops it.
 *
 * @example
 * ```ts
 * // apps/express-demo/test/demo.test.ts
 * import { runDemoSuite } from '@claude-auth/demo-kit/testing';
 * import { startServer } from '../src/server.js';
 *
 * runDemoSuite('express-demo', startServer);
 * ```
 */
export function runDemoSuite(name: string, startServer: StartServer): void {
  let dir: string;
  let storeUrl: string;
  let server: RunningServer;

  /** Runs `fn` with a key manager on a connection of its own, closed after, as a CLI command does. */
  async function manage<T>(fn: (keys: KeyManager) => Promise<T>): Promise<T> {
    const store = await openStore(storeUrl, { cwd: dir });
    const keys = new KeyManager({ store, usageFlushIntervalMs: 0 });
    try {
      return await fn(keys);
    } finally {
      await keys.close();
      await store.close?.();
    }
  }

  async function createKey(workspaceId?: string): Promise<{ id: string; secret: string }> {
    const { key, secret } = await manage((keys) =>
      keys.createKey({ name: 'demo', ...(workspaceId === undefined ? {} : { workspaceId }) }),
    );
    return { id: key.id, secret };
  }

  function post(key: string, body: unknown, raw?: string): Promise<Response> {
    return fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { ...HEADERS, 'x-api-key': key },
      body: raw ?? JSON.stringify(body),
    });
  }

  /** As `@anthropic-ai/sdk` 1.x sends it: bearer credential, version 2026-10-21. */
  function postBearer(key: string, body: unknown, path = '/v1/messages'): Promise<Response> {
    return fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'anthropic-version': '2026-10-21',
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  }

  /** Parses a `text/event-stream` body into its events. */
  function parseEvents(text: string): Array<{ event: string; data: Record<string, unknown> }> {
    return text
      .split('\n\n')
      .filter((block) => block.trim() !== '')
      .map((block) => {
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Record<
          string,
          unknown
        >;
        return { event, data };
      });
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), `${name}-`));
    storeUrl = `sqlite:${path.join(dir, 'claude-auth.db')}`;
    const config = loadConfig({
      env: { CLAUDE_AUTH_STORE_URL: storeUrl, CLAUDE_AUTH_LOG_LEVEL: 'error' },
      overrides: { cache: { ttlMs: 300, negativeTtlMs: 100 } },
    });
    server = await startServer(config, { port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe(name, () => {
    it('listens on loopback by default (HOST unset)', () => {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    });

    it('answers the spec curl request with an echo in the Messages API shape', async () => {
      const { secret } = await createKey();
      const res = await post(secret, CURL_BODY);
      expect(res.status).toBe(200);
      expect(res.headers.get('request-id')).toMatch(/^req_/);
      expect(await res.json()).toEqual({
        id: expect.stringMatching(/^msg_[A-Za-z0-9]+$/),
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-6',
        content: [{ type: 'text', text: 'Echo: Hello, Claude' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 4, output_tokens: 5 },
      });
    });

    it('accepts the key as Authorization: Bearer with anthropic-version 2026-10-21 (SDK 1.x)', async () => {
      const { secret } = await createKey();
      const res = await postBearer(secret, CURL_BODY);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { content: unknown }).content).toEqual([
        { type: 'text', text: 'Echo: Hello, Claude' },
      ]);
    });

    it('answers stream: true with the Messages API event sequence as text/event-stream', async () => {
      const { secret } = await createKey();
      const res = await post(secret, { ...CURL_BODY, stream: true });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(res.headers.get('request-id')).toMatch(/^req_/);
      expect(res.headers.get('anthropic-ratelimit-requests-remaining')).toMatch(/^\d+$/);
      const events = parseEvents(await res.text());
      expect(events.map((e) => e.event)).toEqual([
        'message_start',
        'content_block_start',
        'ping',
        'content_block_delta',
        'content_block_delta',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      expect(events.every((e) => e.data.type === e.event)).toBe(true);
      const text = events
        .filter((e) => e.event === 'content_block_delta')
        .map((e) => (e.data.delta as { text: string }).text)
        .join('');
      expect(text).toBe('Echo: Hello, Claude');
      expect(events[0]!.data.message).toMatchObject({
        model: 'claude-sonnet-4-6',
        content: [],
        usage: { input_tokens: 4 },
      });
      expect(events.at(-2)!.data).toEqual({
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 5 },
      });
    });

    it('answers errors found before a stream starts as contract JSON', async () => {
      const { secret } = await createKey();
      const bad = await post(secret, { model: 'claude-sonnet-4-6', messages: [], stream: true });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await bad.json()) as { error: { type: string } }).error.type).toBe(
        'invalid_request_error',
      );
      const unauthorised = await post(`${secret.slice(0, -8)}AAAAAAAA`, {
        ...CURL_BODY,
        stream: true,
      });
      expect(unauthorised.status).toBe(401);
      expect(unauthorised.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('accepts what current clients send: new roles, block types, top-level fields, betas, ?beta=true', async () => {
      const { secret } = await createKey();
      const res = await fetch(`${server.url}/v1/messages?beta=true`, {
        method: 'POST',
        headers: {
          ...HEADERS,
          'x-api-key': secret,
          'anthropic-beta': 'prompt-caching-2024-07-31,context-management-2025-06-27',
        },
        body: JSON.stringify({
          model: 'claude-sonnet-4-6',
          max_tokens: 1024,
          system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
          thinking: { type: 'enabled', budget_tokens: 1024 },
          metadata: { user_id: 'u-1' },
          tools: [{ name: 't', input_schema: { type: 'object' } }],
          context_management: { edits: [] },
          messages: [
            { role: 'developer', content: 'Follow the house style.' },
            {
              role: 'user',
              content: [
                { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
                { type: 'text', text: 'Hello, Claude', citations: null },
                { type: 'some_future_block', payload: {} },
              ],
            },
          ],
        }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { content: unknown }).content).toEqual([
        { type: 'text', text: 'Echo: Hello, Claude' },
      ]);
    });

    it('lists models behind the key', async () => {
      const { secret } = await createKey();
      const res = await fetch(`${server.url}/v1/models`, {
        headers: { ...HEADERS, 'x-api-key': secret },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: Array<{ type: string; id: string }> };
      expect(body.data.map((m) => m.id)).toContain('claude-sonnet-4-6');
      expect(body.data.every((m) => m.type === 'model')).toBe(true);
    });

    it('refuses a wrong key with the exact spec body', async () => {
      const { secret } = await createKey();
      const res = await post(`${secret.slice(0, -8)}AAAAAAAA`, CURL_BODY);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({
        type: 'error',
        error: { type: 'invalid_api_key', message: 'Invalid API key' },
        request_id: res.headers.get('request-id'),
      });
    });

    it('authenticates before reading the body: no key and malformed JSON is a 401', async () => {
      const res = await fetch(`${server.url}/v1/messages`, {
        method: 'POST',
        headers: HEADERS,
        body: '{"model": ',
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { type: string } };
      expect(body.error.type).toBe('authentication_error');
    });

    it.each([
      ['malformed JSON', undefined, '{"model": '],
      ['missing model', { max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, undefined],
      ['missing messages', { model: 'claude-sonnet-4-6', max_tokens: 5 }, undefined],
      [
        'bad max_tokens',
        { model: 'm', max_tokens: 0, messages: [{ role: 'user', content: 'hi' }] },
        undefined,
      ],
      [
        'messages not an array',
        { model: 'm', max_tokens: 5, messages: { role: 'user', content: 'hi' } },
        undefined,
      ],
      ['stream not a boolean', { ...CURL_BODY, stream: 'yes' }, undefined],
    ])('answers %s with 400 invalid_request_error', async (_name, body, raw) => {
      const { secret } = await createKey();
      const res = await post(secret, body, raw);
      expect(res.status).toBe(400);
      const json = (await res.json()) as {
        type: string;
        error: { type: string; message: string };
      };
      expect(json.type).toBe('error');
      expect(json.error.type).toBe('invalid_request_error');
      expect(json.error.message).not.toContain(secret);
    });

    it('refuses with the core 429 (retry-after, x-should-retry: false) once the workspace spend limit is reached', async () => {
      const { id: workspaceId } = await manage((keys) =>
        keys.createWorkspace({ name: 'tiny', monthlySpendLimitUsd: 0.000001 }),
      );
      const { secret } = await createKey(workspaceId);
      expect((await post(secret, CURL_BODY)).status).toBe(200);
      const refused = await post(secret, CURL_BODY);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-should-retry')).toBe('false');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toEqual({
        type: 'error',
        error: {
          type: 'rate_limit_exceeded',
          message: 'Workspace spend limit reached for this month',
        },
        request_id: refused.headers.get('request-id'),
      });
      // The refused request was not debited: only the first one's 87 micro-dollars count.
      const usage = await manage((keys) => keys.getWorkspaceUsage(workspaceId));
      expect(usage).toMatchObject({ workspaceId, spentMicros: 87 });
    });

    it('refuses a key revoked through another connection to the same SQLite file within the cache TTL', async () => {
      const { id, secret } = await createKey();
      expect((await post(secret, CURL_BODY)).status).toBe(200);
      await manage((keys) => keys.archiveKey(id)); // `claude-auth keys revoke <id>`
      await expect
        .poll(async () => (await post(secret, CURL_BODY)).status, {
          timeout: 2_000,
          interval: 50,
        })
        .toBe(401);
    });

    // Issue 13, defects 6-8: the edges of the contract.
    it('authenticates unknown routes first: 401 without a key, JSON 404 with one, no banner', async () => {
      const anonymous = await fetch(`${server.url}/v1/no-such-route`, { headers: HEADERS });
      expect(anonymous.status).toBe(401);
      const { secret } = await createKey();
      const res = await fetch(`${server.url}/v1/no-such-route`, {
        headers: { ...HEADERS, 'x-api-key': secret },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(await res.json()).toEqual({
        type: 'error',
        error: { type: 'not_found_error', message: 'Not found' },
        request_id: res.headers.get('request-id'),
      });
    });

    it('answers a 20 KB header with the contract 431, not Node’s empty one', async () => {
      const res = await fetch(`${server.url}/v1/models`, {
        headers: { ...HEADERS, 'x-padding': 'p'.repeat(20 * 1024) },
      });
      expect(res.status).toBe(431);
      const body = (await res.json()) as { type: string; error: { type: string } };
      expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      expect(res.headers.get('request-id')).toMatch(/^req_/);
    });

    it('refuses a corrupt content-encoding body in the contract shape, never a 500', async () => {
      const { secret } = await createKey();
      const res = await fetch(`${server.url}/v1/messages`, {
        method: 'POST',
        headers: { ...HEADERS, 'x-api-key': secret, 'content-encoding': 'gzip' },
        body: 'definitely not gzip',
      });
      expect([400, 415]).toContain(res.status);
      const body = (await res.json()) as { error: { type: string } };
      expect(body.error.type).toBe('invalid_request_error');
    });
  });
}
