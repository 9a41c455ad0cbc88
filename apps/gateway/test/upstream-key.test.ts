import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MOCK_UPSTREAM_KEY,
  startGateway,
  startMockUpstream,
  type MockUpstream,
  type RunningGateway,
} from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gateway-upstream-key-'));
const keyFile = path.join(dir, 'anthropic-key');
const warnings: Array<{ message: string; fields: unknown }> = [];
let mock: MockUpstream;
let gateway: RunningGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  const config = loadConfig({
    env: {},
    overrides: {
      storeUrl: `sqlite:${path.join(dir, 'keys.db')}`,
      logLevel: 'error',
      upstreamBaseUrl: mock.url,
    },
  });
  gateway = await startGateway(config, {
    port: 0,
    env: { ANTHROPIC_API_KEY_FILE: keyFile },
    logger: {
      warn: (message, fields) => warnings.push({ message, fields }),
      error: () => undefined,
    },
    print: () => undefined,
  });
});
afterAll(async () => {
  await gateway.close();
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('upstream key from ANTHROPIC_API_KEY_FILE', () => {
  it('warns at start, naming the file and the reason, and keeps running', () => {
    expect(gateway.upstream).toBe('real');
    const warning = warnings.find((w) => w.message.startsWith('upstream key: not available'));
    expect(JSON.stringify(warning?.fields)).toContain(`${keyFile}: file not found`);
  });

  it('/readyz reports upstream_key down with the reason', async () => {
    const res = await fetch(`${gateway.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as {
      checks: { upstream: { status: string }; upstream_key: { status: string; error: string } };
    };
    expect(body.checks.upstream.status).toBe('ok');
    expect(body.checks.upstream_key.status).toBe('down');
    expect(body.checks.upstream_key.error).toContain(`${keyFile}: file not found`);
  });

  it('picks the file up once it appears', async () => {
    writeFileSync(keyFile, `${MOCK_UPSTREAM_KEY}\n`, { mode: 0o600 });
    const res = await fetch(`${gateway.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ checks: { upstream_key: { status: 'ok' } } });
  });
});
