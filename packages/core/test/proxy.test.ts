import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_PRICE_TABLE,
  costOf,
  createClaudeProxy,
  findModelPrice,
  type ClaudeAuth,
  type ClaudeProxy,
  type ClaudeProxyOptions,
  type MessageUsage,
  type ProxyUsage,
} from '@claude-auth/core';
import {
  LargeJsonEnds,
  StreamUsageReader,
  usageFromJson,
  usageFromJsonEnds,
} from '../src/proxy/message-usage.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A fake Claude API whose behaviour each test sets. */
let upstreamHandler: Handler;
const upstream = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => upstreamHandler(req, res, Buffer.concat(chunks).toString('utf8')));
});
let upstreamUrl: string;

function fakeAuth(overrides: Partial<ClaudeAuth> = {}): ClaudeAuth & {
  recordSpend: ReturnType<typeof vi.fn>;
} {
  const recordSpend = vi.fn(() =>
    Promise.resolve({ applied: true, totalMicros: 0, limitMicros: null }),
  );
  return {
    keyId: 'key_1',
    keyName: 'test',
    keyHint: 'cla_api_live_…abcd',
    kind: 'api',
    environment: 'live',
    keyWorkspaceId: 'wrkspc_1',
    workspaceId: 'wrkspc_1',
    permissions: ['*'],
    version: '2023-06-01',
    requestId: 'req_gateway1',
    ...overrides,
    recordSpend,
  };
}

/** A front server that forwards every request through `proxy` as `auth`. */
async function front(
  options: ClaudeProxyOptions,
  auth = fakeAuth(),
): Promise<{ url: string; proxy: ClaudeProxy; auth: typeof auth; close(): Promise<void> }> {
  const proxy = createClaudeProxy({ baseUrl: upstreamUrl, apiKey: 'sk-upstream', ...options });
  const server = createServer((req, res) => {
    res.setHeader('request-id', auth.requestId);
    void proxy.forward({ req, res, auth });
  });
  const url = await listen(server);
  return {
    url,
    proxy,
    auth,
    close: async () => {
      proxy.close();
      await closeServer(server);
    },
  };
}

const sse = (event: string, data: unknown): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** `POST /v1/messages` through a front server, read as a stream the test can abandon. */
async function openCall(url: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    body: '{}',
    signal: controller.signal,
  });
  return { reader: response.body!.getReader(), abort: () => controller.abort() };
}

/** The reply's usage was debited once, forced, under the request's one debit id. */
function expectDebited(auth: ReturnType<typeof fakeAuth>, costUsd: number): void {
  expect(auth.recordSpend).toHaveBeenCalledWith(costUsd, {
    force: true,
    debitId: 'req_gateway1:usage',
  });
}

/** A `message_start` event: the model and the usage known when the stream starts. */
const messageStart = (model: string, usage: MessageUsage) =>
  sse('message_start', { type: 'message_start', message: { model, usage } });

beforeAll(async () => {
  upstreamUrl = await listen(upstream);
});
afterAll(() => closeServer(upstream));
let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup) await close();
  cleanup = [];
});

describe('createClaudeProxy', () => {
  it('refuses a path the upstream could read as another route, and forwards nothing', async () => {
    const seen: string[] = [];
    upstreamHandler = (req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    };
    const gw = await front({});
    cleanup.push(gw.close);
    const { port } = new URL(gw.url);
    /** A request with the path exactly as written (fetch would normalise it). */
    const raw = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    for (const path of [
      '/v1/%6Frganizations/api_keys',
      '/v1/%6frganizations/api_keys',
      '/v1/organizations%2Fapi_keys',
      '/v1/./organizations/api_keys',
      '/v1/models/../organizations/api_keys',
      '/v1/models/..%2Forganizations/api_keys',
      '/v1/models/%2e%2e/organizations',
      '/v1//messages',
      '/v1/models\\..\\organizations',
    ]) {
      const reply = await raw(path);
      expect(reply.status, path).toBe(404);
      expect(JSON.parse(reply.body), path).toMatchObject({ error: { type: 'not_found_error' } });
    }
    expect(seen).toEqual([]);
    expect((await raw('/v1/models/claude-sonnet-4-6?x=%2F..')).status).toBe(200);
    expect(seen).toEqual(['/v1/models/claude-sonnet-4-6?x=%2F..']);
  });

  it('replaces the caller credentials and forwards method, path, query, body and anthropic headers', async () => {
    let seen: {
      method?: string;
      url?: string;
      headers?: IncomingMessage['headers'];
      body?: string;
    } = {};
    upstreamHandler = (req, res, body) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_up_1' });
      res.end('{"ok":true}');
    };
    const gw = await front({});
    cleanup.push(gw.close);
    const response = await fetch(`${gw.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: {
        'x-api-key': 'cla_api_live_caller',
        authorization: 'Bearer cla_api_live_caller',
        cookie: 'session=1',
        'anthropic-workspace-id': 'wrkspc_1',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'tools-2024-04-04',
        'content-type': 'application/json',
      },
      body: '{"model":"m"}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get('request-id')).toBe('req_up_1');
    expect(response.headers.get('x-claude-auth-request-id')).toBe('req_gateway1');
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/messages?beta=true');
    expect(seen.body).toBe('{"model":"m"}');
    expect(seen.headers?.['x-api-key']).toBe('sk-upstream');
    expect(seen.headers?.authorization).toBeUndefined();
    expect(seen.headers?.cookie).toBeUndefined();
    expect(seen.headers?.['anthropic-workspace-id']).toBeUndefined();
    expect(seen.headers?.['anthropic-version']).toBe('2023-06-01');
    expect(seen.headers?.['anthropic-beta']).toBe('tools-2024-04-04');
  });

  it('sends the upstream key as a bearer token under the bearer scheme, below a base path', async () => {
    let seen: IncomingMessage | undefined;
    upstreamHandler = (req, res) => {
      seen = req;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"type":"error"}');
    };
    const gw = await front({ authScheme: 'bearer', baseUrl: `${upstreamUrl}/anthropic/` });
    cleanup.push(gw.close);
    const response = await fetch(`${gw.url}/v1/models`, { headers: { 'x-api-key': 'caller' } });
    expect(response.status).toBe(404);
    expect(seen?.url).toBe('/anthropic/v1/models');
    expect(seen?.headers.authorization).toBe('Bearer sk-upstream');
    expect(seen?.headers['x-api-key']).toBeUndefined();
    // A non-2xx reply is passed through and never billed.
    expect(gw.auth.recordSpend).not.toHaveBeenCalled();
  });

  it('debits the usage of a JSON reply at the model price, forced, under one debit id', async () => {
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          model: 'claude-sonnet-4-5-20250929',
          usage: {
            input_tokens: 1000,
            output_tokens: 2000,
            cache_creation_input_tokens: 100,
            cache_read_input_tokens: 10000,
          },
        }),
      );
    };
    const usages: ProxyUsage[] = [];
    const gw = await front({ onUsage: (u) => usages.push(u) });
    cleanup.push(gw.close);
    await (await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' })).text();
    await vi.waitFor(() => expect(usages).toHaveLength(1));
    // 1000*3 + 2000*15 + 100*3.75 + 10000*0.3 = 36375 per million
    expect(usages[0]!.costUsd).toBeCloseTo(0.036375, 9);
    expect(usages[0]!.streamed).toBe(false);
    expectDebited(gw.auth, usages[0]!.costUsd);
  });

  it('does not debit an organisation-wide request that acts in no workspace', async () => {
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"model":"claude-haiku-4-5","usage":{"input_tokens":10,"output_tokens":10}}');
    };
    const usages: ProxyUsage[] = [];
    const gw = await front({ onUsage: (u) => usages.push(u) }, fakeAuth({ workspaceId: null }));
    cleanup.push(gw.close);
    await (await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' })).text();
    await vi.waitFor(() => expect(usages).toHaveLength(1));
    expect(gw.auth.recordSpend).not.toHaveBeenCalled();
  });

  it('streams server-sent events through before the upstream finishes, and bills the stream', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(messageStart('claude-haiku-4-5', { input_tokens: 1_000_000, output_tokens: 1 }));
      void finished.then(() => {
        res.write(
          sse('message_delta', { type: 'message_delta', usage: { output_tokens: 1_000_000 } }),
        );
        res.end(sse('message_stop', { type: 'message_stop' }));
      });
    };
    const usages: ProxyUsage[] = [];
    const gw = await front({ onUsage: (u) => usages.push(u) });
    cleanup.push(gw.close);
    const response = await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('message_start');
    expect(usages).toHaveLength(0);
    finish();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('message_stop');
    await vi.waitFor(() => expect(usages).toHaveLength(1));
    expect(usages[0]).toMatchObject({ model: 'claude-haiku-4-5', streamed: true, costUsd: 6 });
  });

  it('aborts the upstream request when the caller disconnects', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('ping', { type: 'ping' }));
      res.on('close', upstreamClosed);
    };
    const gw = await front({});
    cleanup.push(gw.close);
    const { reader, abort } = await openCall(gw.url);
    await reader.read();
    abort();
    await expect(closed).resolves.toBeUndefined();
  });

  it('bills a stream the caller abandons: the reported input and the output delivered so far', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(messageStart('claude-haiku-4-5', { input_tokens: 1_000_000, output_tokens: 1 }));
      // 3 deltas of 400 characters each (text, thinking, tool input): about 300 tokens delivered.
      for (const delta of [
        { type: 'text_delta', text: 'a'.repeat(400) },
        { type: 'thinking_delta', thinking: 'b'.repeat(400) },
        { type: 'input_json_delta', partial_json: 'c'.repeat(400) },
      ]) {
        res.write(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta }));
      }
      res.on('close', upstreamClosed);
    };
    const usages: ProxyUsage[] = [];
    const gw = await front({ onUsage: (u) => usages.push(u) });
    cleanup.push(gw.close);
    const { reader, abort } = await openCall(gw.url);
    let seen = '';
    while (!seen.includes('partial_json'))
      seen += new TextDecoder().decode((await reader.read()).value);
    abort();
    await closed;
    await vi.waitFor(() => expect(usages).toHaveLength(1));
    expect(usages[0]).toMatchObject({
      model: 'claude-haiku-4-5',
      streamed: true,
      usage: { input_tokens: 1_000_000, output_tokens: 300 },
    });
    // Haiku 4.5: $1 per million input tokens, $5 per million output tokens.
    expect(usages[0]!.costUsd).toBeCloseTo(1 + (300 * 5) / 1_000_000, 9);
    expect(gw.auth.recordSpend).toHaveBeenCalledTimes(1);
    expectDebited(gw.auth, usages[0]!.costUsd);
  });

  it('bills a finished stream once, also when the caller leaves while its end waits for the debit', async () => {
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(messageStart('claude-haiku-4-5', { input_tokens: 10, output_tokens: 1 }));
      res.write(sse('message_delta', { type: 'message_delta', usage: { output_tokens: 7 } }));
      res.end(sse('message_stop', { type: 'message_stop' }));
    };
    const usages: ProxyUsage[] = [];
    const gw = await front({ onUsage: (u) => usages.push(u) });
    cleanup.push(gw.close);
    let acknowledge!: () => void;
    const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
    gw.auth.recordSpend.mockReturnValue(
      acknowledged.then(() => ({ applied: true, totalMicros: 0, limitMicros: null })),
    );
    const { reader, abort } = await openCall(gw.url);
    await reader.read();
    await vi.waitFor(() => expect(gw.auth.recordSpend).toHaveBeenCalledTimes(1));
    abort(); // the final event is still held for the debit
    await new Promise((resolve) => setTimeout(resolve, 50));
    acknowledge();
    expect(gw.auth.recordSpend).toHaveBeenCalledTimes(1);
    expect(usages).toHaveLength(1);
    expect(usages[0]!.usage).toMatchObject({ input_tokens: 10, output_tokens: 7 });
  });

  it('debits a JSON reply larger than it holds (9 MB) from its first and last bytes', async () => {
    const body = JSON.stringify({
      model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: 'x'.repeat(9 * 1024 * 1024) }],
      usage: { input_tokens: 2_000_000, output_tokens: 1_000_000 },
    });
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    };
    const usages: ProxyUsage[] = [];
    const gw = await front({ onUsage: (u) => usages.push(u) });
    cleanup.push(gw.close);
    const response = await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect((await response.text()).length).toBe(body.length);
    expect(usages).toHaveLength(1);
    // Haiku 4.5: $1 per million input tokens, $5 per million output tokens.
    expect(usages[0]).toMatchObject({ model: 'claude-haiku-4-5', streamed: false, costUsd: 7 });
    expectDebited(gw.auth, 7);
  });

  it('answers 502 api_error in the contract shape when the upstream is unreachable', async () => {
    const dead = createServer();
    const deadUrl = await listen(dead);
    await closeServer(dead);
    const gw = await front({ baseUrl: deadUrl });
    cleanup.push(gw.close);
    const response = await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(502);
    expect(response.headers.get('request-id')).toBe('req_gateway1');
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'api_error', message: expect.any(String) as string },
      request_id: 'req_gateway1',
    });
  });

  it('answers 504 timeout_error when the upstream does not answer in time', async () => {
    upstreamHandler = () => undefined;
    const gw = await front({ timeoutMs: 200 });
    cleanup.push(gw.close);
    const response = await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
      'timeout_error',
    );
  });

  it('answers 504 on a pooled connection too: the timeout holds for every request on a socket', async () => {
    let calls = 0;
    upstreamHandler = (_req, res) => {
      calls++;
      if (calls > 1) return; // the second request on the pooled socket never gets an answer
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('first');
    };
    const gw = await front({ timeoutMs: 200 });
    cleanup.push(gw.close);
    const first = await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const started = Date.now();
    const second = await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(second.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(calls).toBe(2);
  });

  it('answers 502 without calling upstream when no upstream key can be resolved', async () => {
    const proxy = createClaudeProxy({ baseUrl: upstreamUrl, apiKey: '' });
    const auth = fakeAuth();
    const server = createServer((req, res) => void proxy.forward({ req, res, auth }));
    const url = await listen(server);
    cleanup.push(() => closeServer(server));
    const response = await fetch(`${url}/v1/models`);
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain('sk-');
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => createClaudeProxy({ baseUrl: 'ftp://x' })).toThrow(/http/);
  });
});

describe('the debit lands before the reply ends', () => {
  const USAGE = { model: 'claude-haiku-4-5', usage: { input_tokens: 10, output_tokens: 10 } };
  /** A debit the test acknowledges by hand. */
  function slowDebit(gw: { auth: ReturnType<typeof fakeAuth> }): () => void {
    let acknowledge!: () => void;
    const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
    gw.auth.recordSpend.mockReturnValue(
      acknowledged.then(() => ({ applied: true, totalMicros: 20, limitMicros: 20 })),
    );
    return acknowledge;
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('writes the end of a JSON reply only once its debit is acknowledged', async () => {
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(USAGE));
    };
    const gw = await front({});
    cleanup.push(gw.close);
    const acknowledge = slowDebit(gw);
    let body: string | undefined;
    const read = fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' })
      .then((response) => response.text())
      .then((text) => (body = text));
    await vi.waitFor(() => expect(gw.auth.recordSpend).toHaveBeenCalledTimes(1));
    await sleep(100);
    expect(body).toBeUndefined();
    acknowledge();
    await read;
    expect(JSON.parse(body!)).toEqual(USAGE);
  });

  it('streams every event as it comes but holds the final one until the debit is acknowledged', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        sse('message_start', {
          type: 'message_start',
          message: { model: USAGE.model, usage: { input_tokens: 10, output_tokens: 1 } },
        }),
      );
      void finished.then(() => {
        res.write(sse('message_delta', { type: 'message_delta', usage: { output_tokens: 10 } }));
        res.end(sse('message_stop', { type: 'message_stop' }));
      });
    };
    const gw = await front({});
    cleanup.push(gw.close);
    const acknowledge = slowDebit(gw);
    const response = await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' });
    const reader = response.body!.getReader();
    // The first event is not held back by the debit (which has not even started).
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('message_start');
    expect(gw.auth.recordSpend).not.toHaveBeenCalled();
    let rest = '';
    let ended = false;
    const drained = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += new TextDecoder().decode(value);
      }
      ended = true;
    })();
    finish();
    await vi.waitFor(() => expect(gw.auth.recordSpend).toHaveBeenCalledTimes(1));
    await sleep(100);
    expect(rest).not.toContain('message_stop');
    expect(ended).toBe(false);
    acknowledge();
    await drained;
    expect(rest).toContain('event: message_stop');
  });

  it('ends the reply after debitWaitMs when the debit hangs, and holds nothing without a workspace', async () => {
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(USAGE));
    };
    const gw = await front({ debitWaitMs: 50 });
    cleanup.push(gw.close);
    slowDebit(gw); // never acknowledged
    const response = await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(JSON.parse(await response.text())).toEqual(USAGE);
    expect(gw.auth.recordSpend).toHaveBeenCalledTimes(1);

    const orgWide = await front({ debitWaitMs: 60_000 }, fakeAuth({ workspaceId: null }));
    cleanup.push(orgWide.close);
    slowDebit(orgWide);
    const direct = await fetch(`${orgWide.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(JSON.parse(await direct.text())).toEqual(USAGE);
    expect(orgWide.auth.recordSpend).not.toHaveBeenCalled();
  });

  it('rejects a debitWaitMs that is negative or not finite', () => {
    for (const debitWaitMs of [-1, Number.NaN, Infinity]) {
      expect(() => createClaudeProxy({ baseUrl: upstreamUrl, debitWaitMs })).toThrow(/debitWaitMs/);
    }
  });
});

describe('usage and prices', () => {
  it.each([
    ['claude-sonnet-4-5', 'claude-sonnet-4-5', true],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', true],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1', true],
    ['claude-opus-4-6', 'claude-opus-4-6', true],
    ['claude-opus-4-5-20251101', 'claude-opus-4-5', true],
    ['claude-sonnet-4-6', 'claude-sonnet-4-6', true],
    ['gpt-5', undefined, false],
  ])('prices %s', (model, entry, known) => {
    const found = findModelPrice(DEFAULT_PRICE_TABLE, model);
    expect(found.known).toBe(known);
    expect(found.price).toBe(
      entry === undefined ? DEFAULT_PRICE_TABLE.default : DEFAULT_PRICE_TABLE.models[entry],
    );
  });

  it('prices Opus 4.5 and later at their own list price, not the Opus 4 one', () => {
    expect(findModelPrice(DEFAULT_PRICE_TABLE, 'claude-opus-4-6').price).toMatchObject({
      input: 5,
      output: 25,
    });
    expect(findModelPrice(DEFAULT_PRICE_TABLE, 'claude-opus-4-20250514').price.input).toBe(15);
  });

  it('warns once per unknown model and uses the default price', async () => {
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"model":"mystery-1","usage":{"input_tokens":1000000,"output_tokens":0}}');
    };
    const warn = vi.fn();
    const usages: ProxyUsage[] = [];
    const gw = await front({
      logger: { warn, error: vi.fn() },
      prices: { models: {}, default: { input: 7, output: 0, cacheRead: 0, cacheWrite: 0 } },
      onUsage: (u) => usages.push(u),
    });
    cleanup.push(gw.close);
    for (let i = 0; i < 2; i++) {
      await (await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: '{}' })).text();
    }
    await vi.waitFor(() => expect(usages).toHaveLength(2));
    expect(usages[0]!.costUsd).toBe(7);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('estimates the output of an abandoned stream from what it delivered, until the final usage came', () => {
    const reader = new StreamUsageReader();
    reader.push(messageStart('claude-sonnet-4-5', { input_tokens: 50, output_tokens: 1 }));
    expect(reader.abandoned()?.usage).toMatchObject({ input_tokens: 50, output_tokens: 1 });
    const delta = { type: 'text_delta', text: 'x'.repeat(10) };
    reader.push(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta }));
    expect(reader.abandoned()?.usage.output_tokens).toBe(3); // 10 characters: 3 tokens, rounded up
    expect(reader.result()?.usage.output_tokens).toBe(1); // the reported count, unchanged
    reader.push(sse('message_delta', { type: 'message_delta', usage: { output_tokens: 2 } }));
    expect(reader.abandoned()?.usage.output_tokens).toBe(2); // the final count wins
    expect(new StreamUsageReader().abandoned()).toBeUndefined();
  });

  it('reads the usage of a JSON reply too large to hold from its two ends, in bounded memory', () => {
    const reply = JSON.stringify({
      id: 'msg_1',
      type: 'message',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'text', text: '"usage":{"input_tokens":999} \\" {'.repeat(20_000) },
        { type: 'tool_use', input: { usage: { input_tokens: 7 } } },
      ],
      usage: {
        input_tokens: 12,
        output_tokens: 34,
        cache_creation: { ephemeral_5m_input_tokens: 1 },
      },
    });
    const ends = new LargeJsonEnds();
    const bytes = Buffer.from(reply);
    for (let i = 0; i < bytes.length; i += 1000) ends.add([bytes.subarray(i, i + 1000)]);
    expect(ends.head().length).toBe(64 * 1024);
    expect(ends.tail().length).toBeLessThan(66 * 1024);
    expect(usageFromJsonEnds(ends.head(), ends.tail())).toEqual({
      model: 'claude-sonnet-4-5',
      usage: { input_tokens: 12, output_tokens: 34 },
    });
    expect(usageFromJsonEnds('{"id":"x"', ends.tail())).toBeUndefined();
    expect(usageFromJsonEnds(ends.head(), '"usage":{"input_tokens":')).toBeUndefined();
    expect(usageFromJsonEnds('{"model":"m"', '"usage":')).toBeUndefined();
  });

  it('reads stream usage across arbitrary chunk boundaries', () => {
    const text =
      messageStart('claude-haiku-4-5', {
        input_tokens: 12,
        output_tokens: 1,
        cache_read_input_tokens: 5,
      }) +
      sse('content_block_delta', {
        type: 'content_block_delta',
        delta: { text: 'message_delta' },
      }) +
      sse('message_delta', { type: 'message_delta', usage: { output_tokens: 34 } });
    for (const size of [1, 3, 7, 64, text.length]) {
      const reader = new StreamUsageReader();
      for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size));
      expect(reader.result()).toEqual({
        model: 'claude-haiku-4-5',
        usage: { input_tokens: 12, output_tokens: 34, cache_read_input_tokens: 5 },
      });
    }
  });

  it.each(['', 'null', '[]', '{"model":1}', '{"input_tokens":3}', 'not json'])(
    'finds no usage in %j',
    (body) => {
      expect(usageFromJson(body)).toBeUndefined();
    },
  );

  it('prices every token kind', () => {
    expect(
      costOf(
        { input: 1, output: 2, cacheWrite: 3, cacheRead: 4 },
        {
          input_tokens: 1e6,
          output_tokens: 1e6,
          cache_creation_input_tokens: 1e6,
          cache_read_input_tokens: 1e6,
        },
      ),
    ).toBe(10);
  });
});
