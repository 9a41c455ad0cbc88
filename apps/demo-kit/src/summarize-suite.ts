/**
 * The outbound suite of the demos that call Claude (`POST /v1/summarize`), under vitest: against an
 * offline mock of the Claude API, with the key in a secret file (`ANTHROPIC_API_KEY_FILE`).
 */
import type { IncomingHttpHeaders, Server } from 'node:http';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyManager, loadConfig } from '@claude-auth/core';
import { openStore } from '@claude-auth/runtime';
import type { RunningServer, StartServer } from './start-demo-server.js';

/** A listening mock Claude API that accepts one key (the gateway's `startMockUpstream`). */
export interface MockClaudeApi {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const UPSTREAM_KEY = 'sk-ant-api03-demo-outbound-current-key';
const STALE_KEY = 'sk-ant-api03-demo-outbound-stale-old-key';
const TEXT = 'The quick brown fox jumps over the lazy dog.';

/**
 * Registers the outbound suite for one demo: starts the mock with `startMock(key)`, points the
 * demo at it (`ANTHROPIC_BASE_URL`) with the key in a secret file, and checks that
 * `POST /v1/summarize` returns the mock's reply, that the mock saw the key in `x-api-key` with
 * `anthropic-version: 2023-06-01`, and that rewriting the secret file changes the key of the next
 * call. It sets `process.env.ANTHROPIC_API_KEY_FILE` while its tests run (restored after), so run
 * it in a test file of its own (several suites in one file run one after another).
 *
 * @example
 * ```ts
 * import { startMockUpstream } from '@claude-auth/gateway';
 * runSummarizeSuite('express-demo', startServer, (apiKey) => startMockUpstream({ apiKey }));
 * ```
 */
export function runSummarizeSuite(
  name: string,
  startServer: StartServer,
  startMock: (apiKey: string) => Promise<MockClaudeApi>,
): void {
  let dir: string;
  let storeUrl: string;
  let keyFile: string;
  let mock: MockClaudeApi;
  let server: RunningServer;
  let secret: string;
  const seen: IncomingHttpHeaders[] = [];
  const saved = {
    key: process.env.ANTHROPIC_API_KEY,
    file: process.env.ANTHROPIC_API_KEY_FILE,
  };

  /** Writes the secret file and moves its modification time on, as a secret manager would. */
  async function rotate(key: string): Promise<void> {
    await writeFile(keyFile, `${key}\n`);
    const later = new Date(Date.now() + 1000 * (seen.length + 1));
    await utimes(keyFile, later, later);
  }

  function summarize(body: unknown, key: string | null = secret): Promise<Response> {
    return fetch(`${server.url}/v1/summarize`, {
      method: 'POST',
      headers: {
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
        ...(key === null ? {} : { 'x-api-key': key }),
      },
      body: JSON.stringify(body),
    });
  }

  describe(`${name}: POST /v1/summarize calls Claude through the official SDK client`, () => {
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), `${name}-outbound-`));
      storeUrl = `sqlite:${path.join(dir, 'claude-auth.db')}`;
      keyFile = path.join(dir, 'anthropic-api-key');
      await rotate(UPSTREAM_KEY);
      delete process.env.ANTHROPIC_API_KEY;
      process.env.ANTHROPIC_API_KEY_FILE = keyFile;
      mock = await startMock(UPSTREAM_KEY);
      mock.server.prependListener('request', (req: { headers: IncomingHttpHeaders }) => {
        seen.push(req.headers);
      });
      const config = loadConfig({
        env: {
          CLAUDE_AUTH_STORE_URL: storeUrl,
          CLAUDE_AUTH_LOG_LEVEL: 'error',
          ANTHROPIC_BASE_URL: mock.url,
        },
      });
      server = await startServer(config, { port: 0 });
      const store = await openStore(storeUrl);
      const keys = new KeyManager({ store, usageFlushIntervalMs: 0 });
      try {
        secret = (await keys.createKey({ name: 'outbound' })).secret;
      } finally {
        await keys.close();
        await store.close?.();
      }
    });

    afterAll(async () => {
      await server?.close();
      await mock?.close();
      await rm(dir, { recursive: true, force: true });
      if (saved.key === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved.key;
      if (saved.file === undefined) delete process.env.ANTHROPIC_API_KEY_FILE;
      else process.env.ANTHROPIC_API_KEY_FILE = saved.file;
    });

    it("returns the mock's reply; the mock saw the key in x-api-key and anthropic-version", async () => {
      const res = await summarize({ text: TEXT });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        summary: `Echo: Summarize in one sentence:\n\n${TEXT}`,
        model: 'claude-haiku-4-5',
        usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
      });
      const headers = seen.at(-1);
      expect(headers?.['x-api-key']).toBe(UPSTREAM_KEY);
      expect(headers?.authorization).toBeUndefined();
      expect(headers?.['anthropic-version']).toBe('2023-06-01');
      // the caller's claude-auth key is never forwarded
      expect(JSON.stringify(headers)).not.toContain(secret);
    });

    it('rotating the secret file changes the key of the next call, without a restart', async () => {
      await rotate(STALE_KEY);
      const refused = await summarize({ text: TEXT });
      expect(seen.at(-1)?.['x-api-key']).toBe(STALE_KEY);
      expect(refused.status).toBe(502);
      const body = (await refused.json()) as {
        type: string;
        error: { type: string; message: string };
      };
      expect(body).toMatchObject({ type: 'error', error: { type: 'api_error' } });
      expect(body.error.message).toBe('The Claude API answered 401 authentication_error');

      await rotate(UPSTREAM_KEY);
      const ok = await summarize({ text: TEXT });
      expect(ok.status).toBe(200);
      expect(seen.at(-1)?.['x-api-key']).toBe(UPSTREAM_KEY);
    });

    it('is behind claude-auth: no key is a 401 and Claude is not called', async () => {
      const before = seen.length;
      const res = await summarize({ text: TEXT }, null);
      expect(res.status).toBe(401);
      expect(seen.length).toBe(before);
    });

    it('a body without text is a 400 naming the field, and Claude is not called', async () => {
      const before = seen.length;
      const res = await summarize({ txt: TEXT });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { type: 'invalid_request_error', message: 'text: a non-empty string is required' },
      });
      expect(seen.length).toBe(before);
    });
  });
}
