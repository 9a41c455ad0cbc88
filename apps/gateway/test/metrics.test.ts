import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isClaudeAuthError, loadConfig, type ClaudeAuthConfig } from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/index.js';
import { metricsModeFrom } from '../src/metrics.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gateway-metrics-'));
const config: ClaudeAuthConfig = loadConfig({
  env: {},
  overrides: { storeUrl: `sqlite:${path.join(dir, 'keys.db')}`, logLevel: 'error' },
});
const quiet = { warn: () => undefined, error: () => undefined };
const VERSION = '2023-06-01';

let gateway: RunningGateway;
let adminKey: string;
let apiKey: string;

const get = (url: string, key?: string) =>
  fetch(url, {
    headers: { 'anthropic-version': VERSION, ...(key === undefined ? {} : { 'x-api-key': key }) },
  });

/** The value of one sample line, e.g. `name{label="x"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  gateway = await startGateway(config, { port: 0, env: {}, logger: quiet, print: () => {} });
  adminKey = gateway.adminKey!;
  const created = await fetch(`${gateway.url}/v1/organizations/api_keys`, {
    method: 'POST',
    headers: {
      'x-api-key': adminKey,
      'anthropic-version': VERSION,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name: 'caller' }),
  });
  apiKey = ((await created.json()) as { secret: string }).secret;
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/metrics', () => {
  it('counts requests by route and status, times the upstream, adds up spend, probes health', async () => {
    const reply = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': apiKey,
        'anthropic-version': VERSION,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: 'claude-sonnet-4-6',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'Hello, Claude' }],
      }),
    });
    expect(reply.status).toBe(200);
    const { usage } = (await reply.json()) as {
      usage: { input_tokens: number; output_tokens: number };
    };
    expect((await get(`${gateway.url}/v1/organizations/api_keys/key_nope`, adminKey)).status).toBe(
      404,
    );
    expect((await get(`${gateway.url}/no/such/${'x'.repeat(40)}`, apiKey)).status).toBe(404);

    const response = await get(`${gateway.url}/metrics`, adminKey);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(
      sample(
        text,
        'claude_auth_gateway_requests_total{method="POST",route="/v1/messages",status="200"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'claude_auth_gateway_requests_total{method="GET",route="/v1/organizations/api_keys/:id",status="404"}',
      ),
    ).toBe(1);
    expect(
      sample(text, 'claude_auth_gateway_requests_total{method="GET",route="other",status="404"}'),
    ).toBe(1);
    expect(sample(text, 'claude_auth_gateway_upstream_duration_seconds_count{status="200"}')).toBe(
      1,
    );
    // claude-sonnet-4-6 (priced as claude-sonnet-4): $3 and $15 per million input and output tokens.
    const cost = (usage.input_tokens * 3 + usage.output_tokens * 15) / 1e6;
    expect(sample(text, 'claude_auth_gateway_spend_usd_total')).toBeCloseTo(cost, 12);
    expect(sample(text, 'claude_auth_gateway_tokens_total{type="output"}')).toBe(
      usage.output_tokens,
    );
    expect(sample(text, 'claude_auth_gateway_dependency_up{dependency="store"}')).toBe(1);
    expect(sample(text, 'claude_auth_gateway_dependency_up{dependency="upstream"}')).toBe(1);
    expect(text).not.toContain('dependency="redis"');
    expect(text).toContain('claude_auth_gateway_process_cpu_seconds_total');
    expect(text).not.toContain(apiKey.slice(-8));
  });

  it('takes the admin key as a Prometheus scrape sends it: Authorization: Bearer, no anthropic-version', async () => {
    const response = await fetch(`${gateway.url}/metrics`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('claude_auth_gateway_requests_total');
  });

  it('is for admin keys by default: 403 for a normal key, 401 without one', async () => {
    const normal = await get(`${gateway.url}/metrics`, apiKey);
    expect(normal.status).toBe(403);
    expect((await normal.json()) as object).toMatchObject({ error: { type: 'access_denied' } });
    expect((await get(`${gateway.url}/metrics`)).status).toBe(401);
  });

  it('CLAUDE_AUTH_METRICS=open serves it without a key; off removes it', async () => {
    const open = await startGateway(config, {
      port: 0,
      env: { CLAUDE_AUTH_METRICS: 'open' },
      logger: quiet,
    });
    const off = await startGateway(config, { port: 0, env: {}, metrics: 'off', logger: quiet });
    try {
      const response = await fetch(`${open.url}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('claude_auth_gateway_requests_total');
      expect((await get(`${off.url}/metrics`, adminKey)).status).toBe(404);
    } finally {
      await open.close();
      await off.close();
    }
  });

  it('reads the mode from CLAUDE_AUTH_METRICS and refuses anything else', () => {
    expect(metricsModeFrom({})).toBe('admin');
    expect(metricsModeFrom({ CLAUDE_AUTH_METRICS: 'OPEN' })).toBe('open');
    expect(metricsModeFrom({ CLAUDE_AUTH_METRICS: 'off' })).toBe('off');
    let error: unknown;
    try {
      metricsModeFrom({ CLAUDE_AUTH_METRICS: 'public' });
    } catch (caught) {
      error = caught;
    }
    expect(isClaudeAuthError(error) || (error as Error).name === 'ConfigurationError').toBe(true);
    expect((error as Error).message).toContain('CLAUDE_AUTH_METRICS');
    expect((error as Error).message).toContain('(got "public")');
  });

  it('refuses a bad CLAUDE_AUTH_METRICS before the mock upstream starts', async () => {
    const warnings: string[] = [];
    await expect(
      startGateway(config, {
        port: 0,
        env: { CLAUDE_AUTH_METRICS: 'maybe' },
        logger: { warn: (message) => warnings.push(message), error: () => undefined },
        print: () => undefined,
      }),
    ).rejects.toThrow('CLAUDE_AUTH_METRICS must be one of admin, open, off (got "maybe")');
    expect(warnings).toEqual([]);
  });
});
