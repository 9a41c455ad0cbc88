/**
 * A reply's usage is debited before the reply is complete for the caller, so the caller's next
 * request (sent after it read the whole reply) is judged on a total that includes it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuthenticator, loadConfig, type ClaudeAuthConfig } from '@claude-auth/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/runtime.js';
import { startGateway, type RunningGateway } from '../src/index.js';

const quiet = { warn: () => undefined, error: () => undefined };
const BODY = {
  model: 'claude-sonnet-4-6',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Hello, Claude' }],
};
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A gateway on a fresh SQLite store (and Redis when asked), and keys of tiny-limit workspaces. */
async function setUp(redis: boolean): Promise<{
  gateway: RunningGateway;
  newLimitedKey(): Promise<string>;
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gateway-debit-'));
  dirs.push(dir);
  const config: ClaudeAuthConfig = loadConfig({
    env: {},
    overrides: {
      storeUrl: `sqlite:${path.join(dir, 'keys.db')}`,
      logLevel: 'error',
      ...(redis
        ? {
            redisUrl: 'redis://127.0.0.1:6379',
            redisPrefix: `test:gw-debit:${randomUUID().slice(0, 8)}:`,
          }
        : {}),
    },
  });
  const gateway = await startGateway(config, {
    port: 0,
    env: {},
    logger: quiet,
    mockStreamDelayMs: 1,
    print: () => undefined,
  });
  const runtime = await createRuntime(config, { logger: quiet });
  const authenticator = createAuthenticator(runtime.authenticatorOptions);
  return {
    gateway,
    // $0.00001 a month: one echo call (4 + 5 tokens ≈ $0.000087 at Sonnet prices) uses it up.
    newLimitedKey: async () => {
      const small = await authenticator.keys.createWorkspace({
        name: 'small',
        monthlySpendLimitUsd: 0.00001,
      });
      return (await authenticator.keys.createKey({ name: 'small', workspaceId: small.id })).secret;
    },
    close: async () => {
      await authenticator.close();
      await runtime.close();
      await gateway.close();
    },
  };
}

const post = (gateway: RunningGateway, key: string, stream: boolean) =>
  fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'x-api-key': key,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ ...BODY, stream }),
  });

for (const redis of [false, true]) {
  describe(`a reached spend limit refuses the very next request (${redis ? 'Redis ledger' : 'SQLite store'})`, () => {
    for (const stream of [false, true]) {
      it(`after a ${stream ? 'streamed' : 'JSON'} reply`, async () => {
        const { gateway, newLimitedKey, close } = await setUp(redis);
        try {
          // Several workspaces, so one lucky interleaving cannot pass the test.
          for (let round = 0; round < 5; round++) {
            const key = await newLimitedKey();
            const first = await post(gateway, key, stream);
            expect(first.status).toBe(200);
            const text = await first.text();
            if (stream) expect(text).toContain('event: message_stop');
            // No wait: the second request starts as soon as the first reply was read.
            const second = await post(gateway, key, stream);
            expect(second.status).toBe(429);
            expect(second.headers.get('x-should-retry')).toBe('false');
            expect(await second.json()).toMatchObject({
              error: { type: 'rate_limit_exceeded', message: expect.stringMatching(/spend limit/) },
            });
          }
        } finally {
          await close();
        }
      });
    }
  });
}
