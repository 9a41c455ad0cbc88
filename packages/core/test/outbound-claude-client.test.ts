import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ApiConnectionError,
  ApiError,
  ApiTimeoutError,
  AuthenticationError,
  InvalidRequestError,
  MissingApiKeyError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  createClaudeClient,
  type ClaudeClientOptions,
} from '@claude-auth/core';

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

const KEY = 'sk-ant-test-key-0123456789';
let server: Server;
let baseUrl: string;
let replies: Reply[] = [];
let seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: performance.now(),
      });
      const reply = replies.shift() ?? {
        status: 500,
        body: { type: 'error', error: { type: 'api_error', message: 'no scripted reply' } },
      };
      if (reply.hang) return;
      const body =
        reply.body === undefined
          ? ''
          : typeof reply.body === 'string'
            ? reply.body
            : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  replies = [];
  seen = [];
});

const errorBody = (type: string, message: string) => ({ type: 'error', error: { type, message } });
const ok = {
  status: 200,
  body: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'm',
    content: [],
    stop_reason: 'end_turn',
    usage: { input_tokens: 1, output_tokens: 1 },
  },
};

function client(options: ClaudeClientOptions = {}) {
  return createClaudeClient({
    apiKey: KEY,
    baseUrl,
    env: {},
    backoff: { initialMs: 5, maxMs: 20 },
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  expect(String((error as Error).message)).not.toContain(KEY);
  return error as Error;
}

const params = {
  model: 'claude-sonnet-4-5',
  max_tokens: 16,
  messages: [{ role: 'user' as const, content: 'Hello, Claude' }],
};

describe('createClaudeClient against a real HTTP server', () => {
  it('sends the contract headers and JSON body, and returns the parsed response', async () => {
    replies = [ok];
    const result = await client({
      betas: ['prompt-caching-2024-07-31'],
      workspaceId: 'wrkspc_abc',
    }).messages.create(params);
    expect(result).toStrictEqual(ok.body);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v1/messages');
    expect(request!.headers['x-api-key']).toBe(KEY);
    expect(request!.headers['anthropic-version']).toBe('2023-06-01');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(request!.headers['anthropic-workspace-id']).toBe('wrkspc_abc');
    expect(JSON.parse(request!.body)).toStrictEqual(params);
  });

  it('sends Authorization: Bearer and a newer version when asked, and never a caller credential', async () => {
    replies = [ok];
    await client({ authScheme: 'bearer', version: '2026-10-21' }).messages.create(params, {
      headers: { 'X-Api-Key': 'caller-key', Authorization: 'Bearer caller-key', 'x-trace': '1' },
    });
    const [request] = seen;
    expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request!.headers['x-api-key']).toBeUndefined();
    expect(request!.headers['anthropic-version']).toBe('2026-10-21');
    expect(request!.headers['x-trace']).toBe('1');
  });

  it('takes the base URL from ANTHROPIC_BASE_URL and the key from ANTHROPIC_API_KEY', async () => {
    replies = [{ status: 200, body: { data: [] } }];
    const c = createClaudeClient({
      env: { ANTHROPIC_BASE_URL: `${baseUrl}/`, ANTHROPIC_API_KEY: 'env-key' },
    });
    expect(c.baseUrl).toBe(baseUrl);
    await expect(c.request('get', 'v1/models')).resolves.toStrictEqual({ data: [] });
    expect(seen[0]!.headers['x-api-key']).toBe('env-key');
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.body).toBe('');
  });

  it('defaults to the Claude API', () => {
    expect(createClaudeClient({ env: {} }).baseUrl).toBe('https://api.anthropic.com');
  });

  it('fails with MissingApiKeyError before sending anything', async () => {
    const error = await failure(createClaudeClient({ baseUrl, env: {} }).messages.create(params));
    expect(error).toBeInstanceOf(MissingApiKeyError);
    expect(seen).toHaveLength(0);
  });

  it.each([
    [500, ApiError],
    [502, ApiError],
    [503, ApiError],
    [529, OverloadedError],
    [429, RateLimitError],
    [408, ApiError],
    [409, InvalidRequestError],
  ])('retries %i and succeeds', async (status) => {
    replies = [{ status, body: errorBody('api_error', 'transient') }, ok];
    await expect(client().messages.create(params)).resolves.toStrictEqual(ok.body);
    expect(seen).toHaveLength(2);
  });

  it.each([
    [500, ApiError, 'api_error'],
    [529, OverloadedError, 'overloaded_error'],
  ])(
    'gives up after maxRetries on %i and throws the typed error with its request id',
    async (status, cls, type) => {
      replies = [1, 2, 3].map((i) => ({
        status,
        headers: { 'request-id': `req_${i}` },
        body: errorBody(type, 'still failing'),
      }));
      const error = await failure(client().messages.create(params));
      expect(error).toBeInstanceOf(cls);
      expect(error).toMatchObject({ status, type, requestId: 'req_3', message: 'still failing' });
      expect(seen).toHaveLength(3);
    },
  );

  it('maxRetries 0 sends exactly one request', async () => {
    replies = [{ status: 503, body: '' }, ok];
    await failure(client({ maxRetries: 0 }).messages.create(params));
    expect(seen).toHaveLength(1);
  });

  it('honours retry-after-ms over its own backoff', async () => {
    replies = [
      {
        status: 429,
        headers: { 'retry-after-ms': '200' },
        body: errorBody('rate_limit_error', 'slow'),
      },
      ok,
    ];
    await client({ backoff: { initialMs: 5000, maxMs: 5000 } }).messages.create(params);
    const gap = seen[1]!.at - seen[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(190);
    expect(gap).toBeLessThan(2000);
  });

  it('honours retry-after in seconds', async () => {
    replies = [{ status: 503, headers: { 'retry-after': '1' }, body: '' }, ok];
    await client().messages.create(params);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('x-should-retry: false stops retries on a 5xx', async () => {
    replies = [
      {
        status: 500,
        headers: { 'x-should-retry': 'false', 'request-id': 'req_no' },
        body: errorBody('api_error', 'nope'),
      },
      ok,
    ];
    const error = await failure(client().messages.create(params));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ requestId: 'req_no', headers: { 'x-should-retry': 'false' } });
    expect(seen).toHaveLength(1);
  });

  it('x-should-retry: true retries a 400', async () => {
    replies = [
      {
        status: 400,
        headers: { 'x-should-retry': 'true' },
        body: errorBody('invalid_request_error', 'flaky'),
      },
      ok,
    ];
    await expect(client().messages.create(params)).resolves.toStrictEqual(ok.body);
    expect(seen).toHaveLength(2);
  });

  it('does not retry a plain 400', async () => {
    replies = [
      { status: 400, body: errorBody('invalid_request_error', 'max_tokens: Field required') },
      ok,
    ];
    const error = await failure(client().messages.create(params));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(seen).toHaveLength(1);
  });

  it.each([
    [401, 'authentication_error', AuthenticationError],
    [403, 'permission_error', PermissionDeniedError],
  ])(
    'never retries %i, even when the server says x-should-retry: true',
    async (status, type, cls) => {
      replies = [
        {
          status,
          headers: { 'x-should-retry': 'true', 'request-id': 'req_auth' },
          body: errorBody(type, 'invalid x-api-key'),
        },
        ok,
      ];
      const error = await failure(client({ maxRetries: 5 }).messages.create(params));
      expect(error).toBeInstanceOf(cls);
      expect(error).toMatchObject({ status, type, requestId: 'req_auth' });
      expect(seen).toHaveLength(1);
    },
  );

  it('times out a hanging request, retries it, then throws ApiTimeoutError', async () => {
    replies = [
      { status: 0, hang: true },
      { status: 0, hang: true },
    ];
    const started = performance.now();
    const error = await failure(client({ timeoutMs: 150, maxRetries: 1 }).messages.create(params));
    expect(error).toBeInstanceOf(ApiTimeoutError);
    expect(error).toMatchObject({ status: 504, type: 'timeout_error' });
    expect(seen).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('a timeout followed by success succeeds', async () => {
    replies = [{ status: 0, hang: true }, ok];
    await expect(client({ timeoutMs: 100 }).messages.create(params)).resolves.toStrictEqual(
      ok.body,
    );
  });

  it('throws ApiConnectionError when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const warn = vi.fn();
    const error = await failure(
      client({
        baseUrl: `http://127.0.0.1:${port}`,
        maxRetries: 1,
        logger: { warn },
      }).messages.create(params),
    );
    expect(error).toBeInstanceOf(ApiConnectionError);
    expect(error).not.toBeInstanceOf(ApiTimeoutError);
    expect(error).toMatchObject({ status: 502, type: 'api_error' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(KEY);
  });

  it('a caller abort during the backoff wait rejects with the abort reason and stops', async () => {
    replies = [{ status: 503, headers: { 'retry-after-ms': '5000' }, body: '' }, ok];
    const controller = new AbortController();
    const pending = client().messages.create(params, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller went away')), 100);
    await expect(pending).rejects.toThrow('caller went away');
    expect(seen).toHaveLength(1);
  });

  it('a caller abort during a request is not retried', async () => {
    replies = [{ status: 0, hang: true }, ok];
    const controller = new AbortController();
    const pending = client().messages.create(params, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 100);
    await expect(pending).rejects.toThrow('stop');
    expect(seen).toHaveLength(1);
  });

  it('a success body that is not JSON is a 502 ApiError', async () => {
    replies = [{ status: 200, body: '<html>oops</html>' }];
    const error = await failure(client().messages.create(params));
    expect(error).toMatchObject({ status: 502, type: 'api_error' });
  });

  it('an HTML error page from a proxy becomes a typed error', async () => {
    replies = [
      {
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<html><h1>502 Bad Gateway</h1></html>',
      },
    ];
    const error = await failure(client({ maxRetries: 0 }).messages.create(params));
    expect(error).toMatchObject({
      status: 502,
      type: 'api_error',
      message: 'HTTP 502 Bad Gateway (the response body was not a JSON error)',
    });
  });

  it.each<[string, ClaudeClientOptions]>([
    ['negative timeout', { timeoutMs: -1 }],
    ['fractional retries', { maxRetries: 1.5 }],
    ['bad base URL', { baseUrl: 'not a url' }],
    ['ftp base URL', { baseUrl: 'ftp://x' }],
  ])('rejects %s at creation', (_name, options) => {
    expect(() => createClaudeClient({ env: {}, ...options })).toThrow(/must be/);
  });
});
