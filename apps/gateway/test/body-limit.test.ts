import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuthenticator, loadConfig } from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/runtime.js';
import {
  MOCK_UPSTREAM_KEY,
  startGateway,
  startMockUpstream,
  type MockUpstream,
  type RunningGateway,
} from '../src/index.js';
import { DEFAULT_MAX_BODY_BYTES } from '../src/body-limit.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gateway-body-'));
const storeUrl = `sqlite:${path.join(dir, 'keys.db')}`;
const quiet = { warn: () => undefined, error: () => undefined };
const LIMIT = 64 * 1024;
let gateway: RunningGateway;
let secret: string;
let mock: MockUpstream;

beforeAll(async () => {
  // The mock as a "real" upstream, so its counts show what was forwarded.
  mock = await startMockUpstream();
  const config = loadConfig({
    env: {},
    overrides: { storeUrl, logLevel: 'error', upstreamBaseUrl: mock.url },
  });
  gateway = await startGateway(config, {
    port: 0,
    env: { ANTHROPIC_API_KEY: MOCK_UPSTREAM_KEY },
    logger: quiet,
    print: () => undefined,
    maxBodyBytes: LIMIT,
  });
  const runtime = await createRuntime(loadConfig({ env: {}, overrides: { storeUrl } }), {
    logger: quiet,
  });
  const authenticator = createAuthenticator(runtime.authenticatorOptions);
  secret = (await authenticator.keys.createKey({ name: 'body' })).secret;
  await authenticator.close();
  await runtime.close();
});
afterAll(async () => {
  await gateway.close();
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

const messages = (content: string) =>
  JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 16,
    messages: [{ role: 'user', content }],
  });

/** POSTs `body` to /v1/messages in `chunks` without a content-length (chunked). */
function postChunked(
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const url = new URL('/v1/messages', gateway.url);
    const req = request(url, {
      method: 'POST',
      headers: {
        'x-api-key': secret,
        'anthropic-version': '2023-06-01',
        'content-type': contentType,
        'transfer-encoding': 'chunked',
      },
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          json: JSON.parse(Buffer.concat(parts).toString('utf8')) as unknown,
        }),
      );
    });
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.slice(i, i + 16 * 1024));
    req.end();
  });
}

describe('gateway body limit', () => {
  it('defaults to the Claude API limit, 32 MB', () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(32 * 1024 * 1024);
  });

  it('forwards a body within the limit', async () => {
    const res = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': secret,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: messages('a'.repeat(LIMIT / 2)),
    });
    expect(res.status).toBe(200);
  });

  it('answers 413 itself for a declared length above the limit, without forwarding', async () => {
    const res = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': secret,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: messages('a'.repeat(LIMIT * 4)),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'Request body is too large' },
    });
    expect(res.headers.get('request-id')).toBeTruthy();
  });

  it('reads a chunked JSON body up to the limit: forwards below, 413 above', async () => {
    const small = await postChunked(messages('b'.repeat(LIMIT / 2)));
    expect(small.status).toBe(200);
    expect(small.json).toMatchObject({ type: 'message' });
    const big = await postChunked(messages('b'.repeat(LIMIT * 2)));
    expect(big.status).toBe(413);
  });

  it('forwarded only the bodies within the limit', () => {
    expect(mock.counts.get(200)).toBe(2);
    expect(mock.counts.get(413)).toBeUndefined();
  });
});
