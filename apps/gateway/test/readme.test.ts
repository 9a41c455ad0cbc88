import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/index.js';

// The README's curl blocks, run with bash against a gateway on a port of its own.
const readme = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
const adminBlock = blocks.find((block) => block.includes('$GW/api_keys'))!;
const metricsBlock = blocks.find((block) => block.includes('/metrics'))!;
// The root README's short version (its `export ADMIN_KEY=...` placeholder left out).
const rootReadme = readFileSync(
  path.join(import.meta.dirname, '..', '..', '..', 'README.md'),
  'utf8',
);
const rootBlock = [...rootReadme.matchAll(/```sh\n([\s\S]*?)```/g)]
  .map((match) => match[1]!)
  .find((block) => block.includes('$ADMIN_KEY'))!
  .replace(/^export ADMIN_KEY=.*$/m, '');

const dir = mkdtempSync(path.join(tmpdir(), 'gateway-readme-'));
let gateway: RunningGateway;

beforeAll(async () => {
  const config = loadConfig({
    env: {},
    overrides: { storeUrl: `sqlite:${path.join(dir, 'keys.db')}`, logLevel: 'error' },
  });
  gateway = await startGateway(config, {
    port: 0,
    env: {},
    logger: { warn: () => undefined, error: () => undefined },
    print: () => undefined,
  });
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runBlock(code: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'bash',
    ['-e', '-o', 'pipefail', '-c', code.replaceAll('http://localhost:8080', gateway.url)],
    { env: { PATH: process.env.PATH, ADMIN_KEY: gateway.adminKey! }, timeout: 20_000 },
  );
  return stdout;
}

describe('README curl examples', () => {
  it('the admin API block creates, lists, regenerates, deactivates and deletes a key, and reports', async () => {
    const out = await runBlock(adminBlock);
    expect(out).toContain('"type":"api_key"');
    expect(out).toMatch(/"secret":"cla_api_live_/);
    expect(out).toContain('"status":"inactive"');
    expect(out).toContain('"type":"api_key_deleted"');
    expect(out).toContain('"has_more":false');
    expect(out).not.toContain('"error"');
  });

  it("the root README's block lists keys, creates one and reads the usage report", async () => {
    const out = await runBlock(rootBlock);
    expect(out).toContain('"has_more":false');
    expect(out).toMatch(/"secret":"cla_api_live_/);
    expect(out).toContain('"data_refreshed_at"');
    expect(out).not.toContain('"error"');
  });

  it('the metrics block reads /metrics with the admin key', async () => {
    const out = await runBlock(metricsBlock);
    expect(out).toContain('claude_auth_gateway_requests_total');
  });
});
