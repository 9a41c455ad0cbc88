import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AnthropicV1 from '@anthropic-ai/sdk';
import AnthropicV0 from 'anthropic-sdk-v0';
import {
  ConfigurationError,
  MissingApiKeyError,
  createAnthropicSdkClient,
  loadConfig,
} from '@claude-auth/core';
import { createAnthropicClient } from '../src/anthropic/index.js';
import { createRuntime } from '../src/create-runtime.js';
import { loadPeer } from '../src/load-peer.js';
import {
  startStandInClaudeApi,
  type StandInClaudeApi,
} from '../../testing/src/stand-in-claude-api.js';

const KEY_A = 'sk-ant-api03-first-key-for-the-outbound-client-test';
const KEY_B = 'sk-ant-api03-second-key-after-the-secret-rotation';
const params = {
  model: 'claude-haiku-4-5',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'Hello' }],
};

let api: StandInClaudeApi;
let url: string;
let dir: string;
const last = () => api.last();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'claude-auth-sdk-'));
  api = await startStandInClaudeApi();
  url = api.baseUrl;
});

afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

// Both generations run the same calls; typed as 1.x (the two `messages.create` overloads differ).
const generations: Array<[string, typeof AnthropicV1]> = [
  ['1.x', AnthropicV1],
  ['0.x', AnthropicV0 as unknown as typeof AnthropicV1],
];

describe.each(generations)('createAnthropicSdkClient with SDK %s', (_generation, Anthropic) => {
  it('sends the key as x-api-key by default, with version and workspace', async () => {
    const client = createAnthropicSdkClient(
      Anthropic,
      { baseUrl: url, env: {}, apiKey: KEY_A, version: '2023-06-01', workspaceId: 'wrkspc_01abc' },
      { maxRetries: 0 },
    );
    const message = await client.messages.create(params);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hi there' });
    expect(last()['x-api-key']).toBe(KEY_A);
    expect(last().authorization).toBeUndefined();
    expect(last()['anthropic-version']).toBe('2023-06-01');
    expect(last()['anthropic-workspace-id']).toBe('wrkspc_01abc');
  });

  it("sends Authorization: Bearer under authScheme 'bearer', and only that", async () => {
    const client = createAnthropicSdkClient(
      Anthropic,
      { baseUrl: url, env: {}, apiKey: async () => KEY_B, authScheme: 'bearer' },
      { maxRetries: 0 },
    );
    await client.messages.create(params);
    expect(last().authorization).toBe(`Bearer ${KEY_B}`);
    expect(last()['x-api-key']).toBeUndefined();
  });

  it('re-reads ANTHROPIC_API_KEY_FILE when it changes: the next call uses the rotated key', async () => {
    const file = path.join(dir, `key-${_generation}`);
    await writeFile(file, `${KEY_A}\n`);
    const env = { ANTHROPIC_API_KEY_FILE: file, ANTHROPIC_BASE_URL: url };
    const client = createAnthropicSdkClient(Anthropic, { env }, { maxRetries: 0 });
    await client.messages.create(params);
    expect(last()['x-api-key']).toBe(KEY_A);

    await writeFile(file, `${KEY_B}\n`);
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    await client.messages.create(params);
    expect(last()['x-api-key']).toBe(KEY_B);
    // a copy made with withOptions() keeps the resolution
    await client.withOptions({ maxRetries: 0 }).messages.create(params);
    expect(last()['x-api-key']).toBe(KEY_B);
  });

  it("a string apiKey given to withOptions() wins, sent the SDK generation's own way", async () => {
    const client = createAnthropicSdkClient(Anthropic, { baseUrl: url, env: {}, apiKey: KEY_A });
    await client.withOptions({ apiKey: KEY_B, maxRetries: 0 }).messages.create(params);
    const sent = last()['x-api-key'] ?? last().authorization?.replace(/^Bearer /, '');
    expect(sent).toBe(KEY_B);
  });

  it('without any key the call fails with MissingApiKeyError, naming no value', async () => {
    const client = createAnthropicSdkClient(Anthropic, { baseUrl: url, env: {} });
    const before = api.requests.length;
    const error: unknown = await client.messages.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingApiKeyError);
    expect(api.requests.length).toBe(before);
  });
});

describe('createAnthropicSdkClient options', () => {
  it('takes the base URL from the option, then the env given, then the default; never process.env alone', () => {
    const saved = process.env.ANTHROPIC_BASE_URL;
    process.env.ANTHROPIC_BASE_URL = 'http://127.0.0.1:9/not-this-one';
    try {
      expect(createAnthropicSdkClient(AnthropicV1, { env: {} }).baseURL).toBe(
        'https://api.anthropic.com',
      );
      expect(
        createAnthropicSdkClient(AnthropicV1, { env: { ANTHROPIC_BASE_URL: `${url}/` } }).baseURL,
      ).toBe(url);
      expect(createAnthropicSdkClient(AnthropicV1, { env: {}, baseUrl: `${url}//` }).baseURL).toBe(
        url,
      );
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_BASE_URL;
      else process.env.ANTHROPIC_BASE_URL = saved;
    }
  });

  it('refuses a bad workspace, version, scheme or base URL at creation', () => {
    const bad = [
      { workspaceId: 'ws-1' },
      { version: 'yesterday' },
      { authScheme: 'basic' },
      { baseUrl: 'ftp://example.com' },
    ];
    for (const options of bad) {
      expect(() =>
        createAnthropicSdkClient(AnthropicV1, { ...(options as object), env: {} }),
      ).toThrow(ConfigurationError);
    }
  });
});

describe('createAnthropicClient (runtime)', () => {
  it('loads the SDK and returns a configured client', async () => {
    const client = await createAnthropicClient({ baseUrl: url, env: { ANTHROPIC_API_KEY: KEY_A } });
    expect(client).toBeInstanceOf(AnthropicV1);
    await client.messages.create(params);
    expect(last()['x-api-key']).toBe(KEY_A);
  });

  it("runtime.outboundOptions call the configuration's upstreamBaseUrl", async () => {
    const config = loadConfig({
      env: { CLAUDE_AUTH_STORE_URL: 'memory:', ANTHROPIC_BASE_URL: url },
    });
    const runtime = await createRuntime(config);
    try {
      expect(runtime.outboundOptions.baseUrl).toBe(url);
      const client = await createAnthropicClient({
        ...runtime.outboundOptions,
        apiKey: KEY_B,
        authScheme: 'bearer',
        clientOptions: { maxRetries: 0 },
      });
      const message = await client.messages.create(params);
      expect(message.id).toBe('msg_stand_in');
      expect(last().authorization).toBe(`Bearer ${KEY_B}`);
    } finally {
      await runtime.close();
    }
  });

  it('names @anthropic-ai/sdk when it is not installed', async () => {
    const missing = '@anthropic-ai/not-installed-sdk';
    const error = await loadPeer('@anthropic-ai/sdk', 'createAnthropicClient', () =>
      import(missing).catch((cause: unknown) => {
        const e = cause as Error & { code?: string };
        throw Object.assign(new Error(e.message.replace(missing, '@anthropic-ai/sdk')), {
          code: e.code,
        });
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CLAUDE_AUTH_DRIVER_MISSING' });
    expect((error as Error).message).toContain('npm install @anthropic-ai/sdk');
  });
});
