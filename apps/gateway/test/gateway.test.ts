import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuthenticator, loadConfig, type ClaudeAuthConfig } from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRuntime } from '../src/runtime.js';
import {
  MOCK_UPSTREAM_KEY,
  startGateway,
  startMockUpstream,
  type RunningGateway,
} from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gateway-test-'));
const config: ClaudeAuthConfig = loadConfig({
  env: {},
  overrides: { storeUrl: `sqlite:${path.join(dir, 'keys.db')}`, logLevel: 'error' },
});
const quiet = { warn: () => undefined, error: () => undefined };
const VERSION = '2023-06-01';
/** The spec's literal example request (its model as the spec writes it). */
const BODY = {
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Hello, Claude' }],
};

let gateway: RunningGateway;
let printed: string[] = [];
let secret: string;
let limitedSecret: string;
let limitedWorkspace: string;
/** Keys made as the CLI makes them: through the key manager on the same store. */
async function makeKeys(): Promise<void> {
  const runtime = await createRuntime(config, { logger: quiet });
  const authenticator = createAuthenticator(runtime.authenticatorOptions);
  const team = await authenticator.keys.createWorkspace({ name: 'team' });
  secret = (await authenticator.keys.createKey({ name: 'team', workspaceId: team.id })).secret;
  // $0.0001 a month: one echo call (≈ $0.0001 at Sonnet prices) uses it up.
  const small = await authenticator.keys.createWorkspace({
    name: 'small',
    monthlySpendLimitUsd: 0.0001,
  });
  limitedWorkspace = small.id;
  limitedSecret = (await authenticator.keys.createKey({ name: 'small', workspaceId: small.id }))
    .secret;
  await authenticator.close();
  await runtime.close();
}

const post = (key: string, body: unknown = BODY, extra: Record<string, string> = {}) =>
  fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'x-api-key': key,
      'anthropic-version': VERSION,
      'content-type': 'application/json',
      ...extra,
    },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  gateway = await startGateway(config, {
    port: 0,
    env: {},
    logger: quiet,
    mockStreamDelayMs: 5,
    print: (line) => printed.push(line),
  });
  await makeKeys();
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('gateway with the offline mock upstream', () => {
  it('creates and prints an admin key once, on the first start with an empty store', async () => {
    expect(gateway.upstream).toBe('mock');
    expect(gateway.adminKey).toMatch(/^cla_admin_live_/);
    expect(printed.join('\n')).toContain(gateway.adminKey!);
    printed = [];
    const second = await startGateway(config, {
      port: 0,
      env: {},
      logger: quiet,
      print: (line) => printed.push(line),
    });
    await second.close();
    expect(second.adminKey).toBeUndefined();
    expect(printed).toEqual([]);
  });

  it('answers /healthz and /readyz (store, redis, upstream named) without a key', async () => {
    expect(await (await fetch(`${gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: {
        store: { status: 'ok' },
        redis: { status: 'skipped' },
        upstream: { status: 'ok' },
      },
    });
  });

  it('forwards the spec request to the upstream and returns its Messages reply', async () => {
    const response = await post(secret);
    expect(response.status).toBe(200);
    expect(response.headers.get('request-id')).toMatch(/^req_mock_/);
    expect(response.headers.get('x-claude-auth-request-id')).toMatch(/^req_/);
    const message = (await response.json()) as { content: Array<{ text: string }>; usage: object };
    expect(message.content[0]!.text).toBe('Echo: Hello, Claude');
    expect(message.usage).toEqual({
      input_tokens: 4,
      output_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('streams events as they come (the first before the last is produced)', async () => {
    const started = performance.now();
    const response = await post(secret, { ...BODY, stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const times: number[] = [];
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      times.push(performance.now() - started);
      text += new TextDecoder().decode(value);
    }
    expect(text.startsWith('event: message_start')).toBe(true);
    expect(text).toContain('event: message_stop');
    expect(times.length).toBeGreaterThan(3);
    // Events are 5 ms apart upstream: the first chunk arrives well before the last.
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(15);
  });

  it('refuses a bad key with the contract 401 and never forwards it', async () => {
    const response = await post('cla_api_live_nope');
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_api_key',
    );
  });

  it('does not forward the admin API (admin keys only) and answers unknown routes with a JSON 404', async () => {
    const admin = await fetch(`${gateway.url}/v1/organizations/api_keys`, {
      headers: { 'x-api-key': secret, 'anthropic-version': VERSION },
    });
    expect(admin.status).toBe(403);
    const response = await fetch(`${gateway.url}/elsewhere`, {
      headers: { 'x-api-key': secret, 'anthropic-version': VERSION },
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
      'not_found_error',
    );
  });

  it('debits usage x price, then a reached spend limit stops the next request with 429', async () => {
    const first = await post(limitedSecret);
    expect(first.status).toBe(200);
    const { usage } = (await first.json()) as {
      usage: { input_tokens: number; output_tokens: number };
    };
    const period = new Date().toISOString().slice(0, 7);
    const runtime = await createRuntime(config, { logger: quiet });
    try {
      const expected = Math.round(usage.input_tokens * 3 + usage.output_tokens * 15);
      await vi.waitFor(async () =>
        expect(await runtime.store.getSpend(limitedWorkspace, period)).toBe(expected),
      );
      // The same usage, in the store's hourly bucket for this key x workspace x model.
      await vi.waitFor(
        async () => {
          const buckets = await runtime.store.listUsage({
            from: new Date(Date.now() - 3_600_000).toISOString(),
            to: new Date(Date.now() + 3_600_000).toISOString(),
            workspaceId: limitedWorkspace,
          });
          expect(buckets).toEqual([
            expect.objectContaining({
              model: BODY.model,
              requests: 1,
              inputTokens: usage.input_tokens,
              outputTokens: usage.output_tokens,
              costNanos: expected * 1000,
            }),
          ]);
        },
        { timeout: 5000 },
      );
    } finally {
      await runtime.close();
    }
    await vi.waitFor(async () => {
      const refused = await post(limitedSecret);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-should-retry')).toBe('false');
    });
  });

  it('charges a stream the caller abandons, so that leaving early never dodges the spend limit', async () => {
    const runtime = await createRuntime(config, { logger: quiet });
    const authenticator = createAuthenticator(runtime.authenticatorOptions);
    // $0.00001: less than the 4 input tokens of the spec's request at Sonnet prices ($0.000012).
    const tiny = await authenticator.keys.createWorkspace({
      name: 'tiny',
      monthlySpendLimitUsd: 0.00001,
    });
    const key = (await authenticator.keys.createKey({ name: 'tiny', workspaceId: tiny.id })).secret;
    await authenticator.close();
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': key,
        'anthropic-version': VERSION,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ ...BODY, stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('content_block_delta')) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    controller.abort(); // before message_delta, the only event with the final output count
    const period = new Date().toISOString().slice(0, 7);
    try {
      await vi.waitFor(async () =>
        expect(await runtime.store.getSpend(tiny.id, period)).toBeGreaterThanOrEqual(12),
      );
    } finally {
      await runtime.close();
    }
    const refused = await post(key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');
  });

  it('finishes an in-flight stream on shutdown', async () => {
    const own = await startGateway(config, {
      port: 0,
      env: {},
      logger: quiet,
      mockStreamDelayMs: 30,
      print: () => undefined,
    });
    const response = await fetch(`${own.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': secret,
        'anthropic-version': VERSION,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ ...BODY, stream: true }),
    });
    const closing = own.close();
    const text = await response.text();
    await closing;
    expect(text).toContain('event: message_stop');
  });
});

describe('mock upstream', () => {
  it('enforces the contract headers like the Claude API', async () => {
    const mock = await startMockUpstream();
    try {
      const noKey = await fetch(`${mock.url}/v1/models`, {
        headers: { 'anthropic-version': VERSION },
      });
      expect(noKey.status).toBe(401);
      const noVersion = await fetch(`${mock.url}/v1/models`, {
        headers: { 'x-api-key': MOCK_UPSTREAM_KEY },
      });
      expect(noVersion.status).toBe(400);
      const bearer = await fetch(`${mock.url}/v1/models`, {
        headers: { authorization: `Bearer ${MOCK_UPSTREAM_KEY}`, 'anthropic-version': VERSION },
      });
      expect(bearer.status).toBe(200);
      const text = await fetch(`${mock.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': MOCK_UPSTREAM_KEY,
          'anthropic-version': VERSION,
          'content-type': 'text/plain',
        },
        body: 'hi',
      });
      expect(text.status).toBe(415);
      const body = (await text.json()) as { type: string; error: { type: string } };
      expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    } finally {
      await mock.close();
    }
  });

  it('reports a cache write, then a cache read, for a cache_control prompt', async () => {
    const mock = await startMockUpstream();
    try {
      const call = async () =>
        (
          (await (
            await fetch(`${mock.url}/v1/messages`, {
              method: 'POST',
              headers: {
                'x-api-key': MOCK_UPSTREAM_KEY,
                'anthropic-version': VERSION,
                'content-type': 'application/json',
              },
              body: JSON.stringify({
                ...BODY,
                system: [
                  {
                    type: 'text',
                    text: 'You are terse. '.repeat(20),
                    cache_control: { type: 'ephemeral' },
                  },
                ],
              }),
            })
          ).json()) as { usage: Record<string, number> }
        ).usage;
      const first = await call();
      const second = await call();
      expect(first.cache_creation_input_tokens).toBeGreaterThan(0);
      expect(first.cache_read_input_tokens).toBe(0);
      expect(second.cache_read_input_tokens).toBe(first.cache_creation_input_tokens);
    } finally {
      await mock.close();
    }
  });
});
