import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEFAULT_PRICE_TABLE,
  findModelPrice,
  loadConfig,
  type ClaudeAuthConfig,
} from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centsOf } from '../src/admin/analytics.js';
import { readReportQuery } from '../src/admin/report-query.js';
import { startGateway, type RunningGateway } from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gateway-analytics-'));
const config: ClaudeAuthConfig = loadConfig({
  env: {},
  overrides: { storeUrl: `sqlite:${path.join(dir, 'keys.db')}`, logLevel: 'error' },
});
const quiet = { warn: () => undefined, error: () => undefined };
const VERSION = '2023-06-01';

interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}
interface Row {
  starting_at: string;
  ending_at: string;
  group: { api_key_id: string | null; workspace_id: string | null; model: string | null };
  usage: { total_tokens: number; requests: number } & Record<string, unknown>;
  cost: { amount: string } & Record<string, unknown>;
}
type Json = Record<string, unknown> & {
  data: Row[];
  error: { type: string; message: string };
};

let gateway: RunningGateway;
let adminKey: string;
const keyIds: Record<string, string> = {};
const workspaces: Record<string, string> = {};
/** What the mock upstream reported, per key id and per key id × model. */
const reported = new Map<string, Usage & { requests: number }>();
const started = new Date(Date.now() - 3_600_000).toISOString();
/** The end of the current hour: without a time bucket a report covers whole hours before ending_at. */
const hourEnd = new Date(Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000).toISOString();

async function admin(method: string, route: string, body?: unknown): Promise<Json> {
  const response = await fetch(`${gateway.url}/v1/organizations${route}`, {
    method,
    headers: {
      'x-api-key': adminKey,
      'anthropic-version': VERSION,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { ...((await response.json()) as Json), status: response.status };
}

function add(slot: string, usage: Usage): void {
  const sum = reported.get(slot) ?? {
    requests: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  sum.requests += 1;
  sum.input_tokens += usage.input_tokens;
  sum.output_tokens += usage.output_tokens;
  sum.cache_creation_input_tokens += usage.cache_creation_input_tokens;
  sum.cache_read_input_tokens += usage.cache_read_input_tokens;
  reported.set(slot, sum);
}

/** One proxied call; records the usage the mock reported (JSON body, or the stream's last usage). */
async function traffic(name: string, secret: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'x-api-key': secret,
      'anthropic-version': VERSION,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ max_tokens: 32, ...body }),
  });
  expect(response.status).toBe(200);
  let usage: Usage;
  if (body.stream === true) {
    const text = await response.text();
    const deltas = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { type: string; usage?: Usage });
    usage = deltas.findLast((event) => event.type === 'message_delta')!.usage!;
  } else {
    usage = ((await response.json()) as { usage: Usage }).usage;
  }
  add(keyIds[name]!, usage);
  add(`${keyIds[name]!}|${body.model as string}`, usage);
}

beforeAll(async () => {
  gateway = await startGateway(config, {
    port: 0,
    env: {},
    logger: quiet,
    mockStreamDelayMs: 1,
    print: () => {},
  });
  adminKey = gateway.adminKey!;
  for (const name of ['alpha', 'beta']) {
    workspaces[name] = (await admin('POST', '/workspaces', { name })).id as string;
  }
  const secrets: Record<string, string> = {};
  for (const [name, workspace] of [
    ['a1', 'alpha'],
    ['a2', 'alpha'],
    ['b1', 'beta'],
  ] as const) {
    const created = await admin('POST', '/api_keys', {
      name,
      workspace_id: workspaces[workspace],
    });
    keyIds[name] = created.id as string;
    secrets[name] = created.secret as string;
  }
  const say = (text: string) => [{ role: 'user', content: text }];
  const cachedSystem = [
    { type: 'text', text: 'You are terse. '.repeat(20), cache_control: { type: 'ephemeral' } },
  ];
  await traffic('a1', secrets.a1!, { model: 'claude-sonnet-4-6', messages: say('Hello there') });
  await traffic('a1', secrets.a1!, {
    model: 'claude-sonnet-4-6',
    messages: say('A somewhat longer question about the weather today'),
  });
  // The first cached call writes the cache, the second reads it.
  for (let i = 0; i < 2; i++) {
    await traffic('a1', secrets.a1!, {
      model: 'claude-haiku-4-5',
      system: cachedSystem,
      messages: say(`cached ${i}`),
    });
  }
  await traffic('a2', secrets.a2!, {
    model: 'claude-haiku-4-5',
    stream: true,
    messages: say('stream me'),
  });
  await traffic('b1', secrets.b1!, { model: 'claude-sonnet-4-6', messages: say('beta') });
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Nano-dollars of usage at the default price table (prices are USD per million tokens). */
function priced(model: string, u: Usage): number {
  const { price } = findModelPrice(DEFAULT_PRICE_TABLE, model);
  const nanosPerToken = (usdPerMillion: number) => Math.round(usdPerMillion * 1000);
  return (
    u.input_tokens * nanosPerToken(price.input) +
    u.output_tokens * nanosPerToken(price.output) +
    u.cache_creation_input_tokens * nanosPerToken(price.cacheWrite) +
    u.cache_read_input_tokens * nanosPerToken(price.cacheRead)
  );
}

describe('usage and cost reports after proxied traffic', () => {
  it('usage grouped by key equals the usage the mock upstream reported, exactly', async () => {
    expect(reported.get(keyIds.a1!)!.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(reported.get(keyIds.a1!)!.cache_read_input_tokens).toBeGreaterThan(0);
    const report = await admin(
      'GET',
      `/analytics/usage?starting_at=${started}&group_by[]=api_key_id&limit=1000&ending_at=${hourEnd}`,
    );
    expect(report).toMatchObject({ has_more: false, next_page: null });
    expect(report.data).toHaveLength(3);
    for (const name of ['a1', 'a2', 'b1']) {
      const id = keyIds[name]!;
      const expected = reported.get(id)!;
      const row = report.data.find((r) => r.group.api_key_id === id)!;
      expect(row.group).toEqual({ api_key_id: id, workspace_id: null, model: null });
      expect(row.usage).toEqual({
        uncached_input_tokens: expected.input_tokens,
        cache_read_input_tokens: expected.cache_read_input_tokens,
        cache_creation: {
          ephemeral_5m_input_tokens: expected.cache_creation_input_tokens,
          ephemeral_1h_input_tokens: 0,
        },
        output_tokens: expected.output_tokens,
        total_tokens:
          expected.input_tokens +
          expected.output_tokens +
          expected.cache_creation_input_tokens +
          expected.cache_read_input_tokens,
        requests: expected.requests,
        server_tool_use: { web_search_requests: 0 },
      });
    }
    // Default order: total_tokens, highest first.
    const totals = report.data.map((r) => r.usage.total_tokens);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  it('cost grouped by key and model equals usage x price, and a workspace month equals its spend ledger', async () => {
    const report = await admin(
      'GET',
      `/analytics/cost?starting_at=${started}&group_by[]=api_key_id&group_by[]=model&limit=1000&ending_at=${hourEnd}`,
    );
    expect(report.data).toHaveLength(4);
    for (const row of report.data) {
      const expected = reported.get(`${row.group.api_key_id}|${row.group.model}`)!;
      expect(row.cost).toEqual({
        amount: centsOf(priced(row.group.model as string, expected)),
        list_amount: centsOf(priced(row.group.model as string, expected)),
        currency: 'USD',
        requests: expected.requests,
      });
    }

    const byWorkspace = await admin(
      'GET',
      `/analytics/cost?starting_at=${new Date().toISOString().slice(0, 7)}-01T00:00:00Z&group_by[]=workspace_id&ending_at=${hourEnd}`,
    );
    for (const name of ['alpha', 'beta']) {
      const row = byWorkspace.data.find((r) => r.group.workspace_id === workspaces[name])!;
      const nanos = Math.round(Number(row.cost.amount) * 1e7);
      // The ledger debits whole micro-dollars and carries the rest into the next debit; debits
      // settle off the request path, so wait for them.
      await expect
        .poll(
          async () =>
            (
              (await admin('GET', `/workspaces/${workspaces[name]!}`)).spend as {
                spent_micros: number;
              }
            ).spent_micros,
        )
        .toBe(Math.floor(nanos / 1000));
    }
  });

  it('filters by key, buckets by hour and pages with next_page', async () => {
    const only = await admin(
      'GET',
      `/analytics/usage?starting_at=${started}&api_key_ids[]=${keyIds.a1!}&group_by[]=model&ending_at=${hourEnd}`,
    );
    expect(only.data.map((r) => r.group.model).sort()).toEqual([
      'claude-haiku-4-5',
      'claude-sonnet-4-6',
    ]);
    const ending = new Date(Date.now() + 3_600_000).toISOString();
    const hourly = await admin(
      'GET',
      `/analytics/usage?starting_at=${started}&ending_at=${ending}&time_bucket_width=1h&group_by[]=workspace_id&order_by=time`,
    );
    const requests = hourly.data.reduce((sum, r) => sum + r.usage.requests, 0);
    expect(requests).toBe(6);
    for (const row of hourly.data) {
      expect(Date.parse(row.ending_at) - Date.parse(row.starting_at)).toBe(3_600_000);
    }

    const seen: string[] = [];
    let page: string | null = null;
    do {
      const reply: Json = await admin(
        'GET',
        `/analytics/usage?starting_at=${started}&ending_at=${hourEnd}&group_by[]=api_key_id&limit=1${page ? `&page=${page}` : ''}`,
      );
      expect(reply.data).toHaveLength(1);
      seen.push(reply.data[0]!.group.api_key_id as string);
      page = reply.has_more ? (reply.next_page as string) : null;
    } while (page !== null);
    expect(seen.sort()).toEqual(Object.values(keyIds).sort());
  });

  it('without a time bucket covers whole hours: starting_at and ending_at rounded down (the SDK docs)', async () => {
    const at = (query: string, now: string) =>
      readReportQuery(new URLSearchParams(query), ['total_tokens'], new Date(now));
    // No ending_at at 12:00:30: the earlier of now and starting_at + 31 days, rounded down.
    const q = at('starting_at=2026-11-30T10:15:00Z', '2026-11-30T12:00:30Z');
    expect(q.from.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(q.to.toISOString()).toBe('2026-11-30T12:00:00.000Z');
    expect(
      at(
        'starting_at=2026-11-01T00:00:00Z&ending_at=2026-11-30T12:45:00Z',
        '2026-11-30T13:00:00Z',
      ).to.toISOString(),
    ).toBe('2026-11-30T12:00:00.000Z');
    // With a time bucket the given ending_at stands (buckets keep their own bounds).
    expect(
      at(
        'starting_at=2026-11-30T10:00:00Z&ending_at=2026-11-30T12:45:00Z&time_bucket_width=1h',
        '2026-11-30T13:00:00Z',
      ).to.toISOString(),
    ).toBe('2026-11-30T12:45:00.000Z');
    // Over HTTP: a row's ending_at is never in the future.
    const reply = await admin('GET', `/analytics/usage?starting_at=${started}`);
    expect(reply.status).toBe(200);
    for (const row of reply.data) expect(Date.parse(row.ending_at)).toBeLessThanOrEqual(Date.now());
  });

  it('answers a bad query with 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['', 'starting_at'],
      ['starting_at=yesterday', 'starting_at'],
      [`starting_at=${started}&time_bucket_width=1m&ending_at=${started}`, 'time_bucket_width'],
      [`starting_at=${started}&time_bucket_width=1h`, 'ending_at'],
      [`starting_at=${started}&ending_at=2020-01-01T00:00:00Z`, 'ending_at'],
      ['starting_at=2099-01-01T00:00:00Z', 'starting_at must be in the past'],
      ['starting_at=2026-01-01T00:00:00Z&ending_at=2026-03-01T00:00:00Z', '31 days'],
      [`starting_at=${started}&group_by[]=actor`, 'group_by'],
      [`starting_at=${started}&limit=0`, 'limit'],
      [`starting_at=${started}&page=nonsense`, 'page'],
      [`starting_at=${started}&order_by=amount`, 'order_by'],
      [`starting_at=${started}&order=up`, 'order'],
      // Filters of the Claude Usage API the gateway does not implement: refused, never ignored.
      [`starting_at=${started}&actor_ids[]=user_1`, '"actor_ids[]"'],
      [
        `starting_at=${started}&service_tiers[]=standard&speeds=fast`,
        '"service_tiers[]", "speeds"',
      ],
    ];
    for (const [query, field] of cases) {
      const reply = await admin('GET', `/analytics/usage?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.error.type).toBe('invalid_request_error');
      expect(reply.error.message).toContain(field);
    }
  });

  it('writes cost amounts as exact fractional cents', () => {
    expect(centsOf(0)).toBe('0');
    expect(centsOf(84_000)).toBe('0.0084');
    expect(centsOf(10_000_000)).toBe('1');
    expect(centsOf(1_234_567_891)).toBe('123.4567891');
  });
});
