/**
 * The gateway's built-in offline stand-in for the Claude API, used when no upstream key is
 * configured (and by benches and tests). It enforces the contract headers like the real API
 * (its own key in `x-api-key` or `Authorization: Bearer`, `anthropic-version`, JSON bodies) and
 * answers `POST /v1/messages` (JSON or server-sent events), `POST /v1/messages/count_tokens` and
 * `GET /v1/models` and `GET /v1/models/{id}` in the Messages API's shapes, with realistic `usage`. It is an echo: no model
 * runs and nothing leaves the machine.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  echoMessage,
  messageStreamEvents,
  MODELS,
  parseMessagesRequest,
  type MessagesRequest,
  type ModelInfo,
} from '@claude-auth/demo-kit';
import { isClaudeAuthError, isVersionString } from '@claude-auth/core';

/** The key the mock accepts unless told otherwise (the gateway sends it when no real key is set). */
export const MOCK_UPSTREAM_KEY = 'mock-upstream-key';

/**
 * The models the mock lists: the demos' list (current ids, none that the official SDKs warn is
 * deprecated). The echo answers any model.
 *
 * @example
 * ```ts
 * MOCK_MODELS.map((m) => m.id); // ['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-haiku-4-5']
 * ```
 */
export const MOCK_MODELS: readonly ModelInfo[] = MODELS;

/** Options of {@link startMockUpstream}. */
export interface MockUpstreamOptions {
  /** The only key it accepts. Default {@link MOCK_UPSTREAM_KEY}. */
  apiKey?: string;
  /** Pause between two streamed events, to look like generation. Default 0. */
  streamDelayMs?: number;
  /** Default 0 (a free port). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

/** A listening mock upstream. */
export interface MockUpstream {
  /** e.g. `http://127.0.0.1:41234`: the gateway's upstream base URL. */
  url: string;
  server: Server;
  /** Requests answered so far, by status. */
  readonly counts: Map<number, number>;
  close(): Promise<void>;
}

/** Token counts the mock reports: the Messages API's four counters. */
export interface MockUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** The Messages API's request size limit (32 MB); above it the mock answers 413 like the real API. */
export const MOCK_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The usage the mock reports for `request`: the echo's input and output tokens, and, when the
 * request marks a block with `cache_control`, a cache write of the system prompt's tokens on the
 * first sight of that prompt and a cache read afterwards.
 *
 * @example
 * ```ts
 * mockUsage(parseMessagesRequest(body), false).cache_read_input_tokens; // 0
 * ```
 */
export function mockUsage(request: MessagesRequest, cached: boolean | undefined): MockUsage {
  const usage = echoMessage(request).usage;
  const systemTokens = Math.ceil(request.system.length / 4);
  return {
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    cache_creation_input_tokens: cached === false ? systemTokens : 0,
    cache_read_input_tokens: cached === true ? systemTokens : 0,
  };
}

/**
 * Starts the offline mock upstream.
 *
 * @example
 * ```ts
 * const mock = await startMockUpstream({ port: 0 });
 * const proxy = createClaudeProxy({ baseUrl: mock.url, apiKey: MOCK_UPSTREAM_KEY });
 * ```
 */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const apiKey = options.apiKey ?? MOCK_UPSTREAM_KEY;
  const delay = options.streamDelayMs ?? 0;
  const counts = new Map<number, number>();
  const seenPrompts = new Set<string>();

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    counts.set(status, (counts.get(status) ?? 0) + 1);
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, type: string, message: string): void =>
    send(res, status, {
      type: 'error',
      error: { type, message },
      request_id: res.getHeader('request-id'),
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('request-id', `req_mock_${randomUUID().replaceAll('-', '').slice(0, 24)}`);
    const bearer = req.headers.authorization;
    const given =
      req.headers['x-api-key'] ??
      (bearer?.startsWith('Bearer ') === true ? bearer.slice(7) : undefined);
    if (given !== apiKey) {
      return error(res, 401, 'authentication_error', 'invalid x-api-key');
    }
    const version = req.headers['anthropic-version'];
    if (typeof version !== 'string' || !isVersionString(version)) {
      return error(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
    }
    const url = new URL(req.url ?? '/', 'http://mock');
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      return send(res, 200, {
        data: MOCK_MODELS,
        has_more: false,
        first_id: MOCK_MODELS[0]!.id,
        last_id: MOCK_MODELS.at(-1)!.id,
      });
    }
    if (req.method === 'GET' && url.pathname.startsWith('/v1/models/')) {
      const id = decodeURIComponent(url.pathname.slice('/v1/models/'.length));
      const model = MOCK_MODELS.find((m) => m.id === id);
      if (model !== undefined) return send(res, 200, model);
      return error(res, 404, 'not_found_error', `model: ${id}`);
    }
    const countTokens = url.pathname === '/v1/messages/count_tokens';
    if (req.method !== 'POST' || (!countTokens && url.pathname !== '/v1/messages')) {
      return error(res, 404, 'not_found_error', 'Not found');
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return error(res, 415, 'invalid_request_error', 'content-type must be application/json');
    }
    const read = await readBody(req);
    if (read === TOO_LARGE) {
      return error(
        res,
        413,
        'request_too_large',
        'Request exceeds the maximum allowed number of bytes.',
      );
    }
    if (read === undefined) {
      return error(res, 400, 'invalid_request_error', 'Request body must be JSON');
    }
    // count_tokens takes the Messages request without max_tokens (and without stream).
    const body =
      countTokens && isRecord(read) ? { ...read, max_tokens: 1, stream: undefined } : read;
    let request: MessagesRequest;
    try {
      request = parseMessagesRequest(body);
    } catch (caught) {
      const message = isClaudeAuthError(caught) ? caught.message : 'Invalid request';
      return error(res, 400, 'invalid_request_error', message);
    }
    if (countTokens) {
      return send(res, 200, { input_tokens: mockUsage(request, undefined).input_tokens });
    }
    const cached = hasCacheControl(body) ? seenPrompts.has(request.system) : undefined;
    if (cached === false) seenPrompts.add(request.system);
    const usage = mockUsage(request, cached);
    const message = { ...echoMessage(request), usage };
    if (!request.stream) return send(res, 200, message);

    counts.set(200, (counts.get(200) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const { event, data } of messageStreamEvents(message)) {
      if (res.destroyed) return;
      if (data.type === 'message_start') {
        (data.message as { usage: unknown }).usage = { ...usage, output_tokens: 1 };
      }
      if (data.type === 'message_delta') data.usage = { ...usage };
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      await new Promise<void>((resolve) =>
        delay > 0 ? setTimeout(resolve, delay) : setImmediate(resolve),
      );
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) error(res, 500, 'api_error', 'Internal server error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    server,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const TOO_LARGE = Symbol('too large');

/**
 * The parsed JSON body, undefined when it is not JSON, or {@link TOO_LARGE} above
 * {@link MOCK_MAX_BODY_BYTES}. The body is always read to its end (the excess discarded), so the
 * answer never races the caller's upload.
 */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MOCK_MAX_BODY_BYTES && declared <= MOCK_MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MOCK_MAX_BODY_BYTES || declared > MOCK_MAX_BODY_BYTES) return TOO_LARGE;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasCacheControl(body: unknown): boolean {
  return JSON.stringify(body).includes('"cache_control"');
}
