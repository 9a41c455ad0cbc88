import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MOCK_MODELS,
  MOCK_UPSTREAM_KEY,
  startMockUpstream,
  type MockUpstream,
} from '../src/index.js';
import { MOCK_MAX_BODY_BYTES } from '../src/mock-upstream.js';

const HEADERS = {
  'x-api-key': MOCK_UPSTREAM_KEY,
  'anthropic-version': '2023-06-01',
  'content-type': 'application/json',
};
let mock: MockUpstream;
beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(() => mock.close());

const post = (path: string, body: string) =>
  fetch(`${mock.url}${path}`, { method: 'POST', headers: HEADERS, body });

/** A valid Messages request of about `bytes` bytes (one long user message). */
function bigRequest(bytes: number): string {
  return JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 16,
    messages: [{ role: 'user', content: 'a'.repeat(bytes) }],
  });
}

describe('mock upstream: count_tokens', () => {
  it('counts tokens without max_tokens, like the Claude API', async () => {
    const res = await post(
      '/v1/messages/count_tokens',
      JSON.stringify({
        model: 'claude-sonnet-4-6',
        messages: [{ role: 'user', content: 'Hello, Claude' }],
      }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { input_tokens: number };
    expect(body.input_tokens).toBeGreaterThan(0);
  });

  it('still validates model and messages', async () => {
    const res = await post('/v1/messages/count_tokens', JSON.stringify({ model: 'x' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('messages') },
    });
  });

  it('still requires max_tokens on /v1/messages', async () => {
    const res = await post(
      '/v1/messages',
      JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(res.status).toBe(400);
  });
});

describe('mock upstream: large bodies', () => {
  it('accepts a valid 5 MB body', async () => {
    const res = await post('/v1/messages', bigRequest(5 * 1024 * 1024));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { type: string }).type).toBe('message');
  });

  it('reads a 40 MB body to its end and answers 413 request_too_large', async () => {
    const res = await post('/v1/messages', bigRequest(MOCK_MAX_BODY_BYTES + 8 * 1024 * 1024));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'request_too_large' },
      request_id: expect.stringMatching(/^req_mock_/),
    });
  });
});

describe('mock upstream: models', () => {
  it('lists current models only, none the SDKs warn is deprecated', async () => {
    const list = (await (await fetch(`${mock.url}/v1/models`, { headers: HEADERS })).json()) as {
      data: Array<{ id: string }>;
      first_id: string;
    };
    const ids = list.data.map((m) => m.id);
    expect(ids).toEqual(MOCK_MODELS.map((m) => m.id));
    expect(ids).toContain('claude-sonnet-4-6');
    // The SDKs' deprecation table (1.14.0 / 0.137.0): end of life by January 2027.
    for (const deprecated of ['claude-sonnet-4-5', 'claude-opus-4-5', 'claude-mythos-preview']) {
      expect(ids.some((id) => id.startsWith(deprecated))).toBe(false);
    }
    expect(list.first_id).toBe(ids[0]);
  });

  it('answers GET /v1/models/{id} for a listed model, 404 otherwise', async () => {
    const list = (await (await fetch(`${mock.url}/v1/models`, { headers: HEADERS })).json()) as {
      data: Array<{ id: string }>;
    };
    const id = list.data[0]?.id ?? '';
    const one = await fetch(`${mock.url}/v1/models/${id}`, { headers: HEADERS });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id, type: 'model' });
    const none = await fetch(`${mock.url}/v1/models/claude-nope`, { headers: HEADERS });
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: { type: 'not_found_error' } });
  });
});
