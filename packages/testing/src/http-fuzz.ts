/**
 * Raw HTTP fuzzing of one adapter over `net` sockets: what a hostile client can put on the wire
 * that `fetch` or `node:http` would refuse to send (duplicate and oddly cased credential headers,
 * oversized headers and bodies, truncated and corrupt bodies, slow clients, garbage). The server
 * must answer every request with a status of the contract table in its JSON shape, never a 500,
 * stay up and keep its memory bounded; nothing it says or logs may carry key material.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  KeyManager,
  MemoryKeyStore,
  createAuthenticator,
  createClientErrorHandler,
  generateApiKey,
  type Authenticator,
} from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractServer, StartContractServer } from './contract-harness.js';
import { CONTRACT_BODY_LIMIT_BYTES } from './contract-table.js';
import { MATRIX_ROUTES } from './authorization-matrix.js';
import { createSecretCapture } from './secret-hygiene.js';

/** Every status a response may have: the contract table's, plus the parser's 408 and 431. */
export const FUZZ_ALLOWED_STATUSES: ReadonlySet<number> = new Set([
  200, 400, 401, 403, 404, 408, 413, 415, 429, 431,
]);

/** A raw exchange: what came back on the socket (`status` null when the server only closed it). */
export interface RawResponse {
  status: number | null;
  headers: Record<string, string>;
  body: string;
  raw: string;
}

/** One write on the socket, optionally after a pause (slow clients). */
export interface RawChunk {
  data: string | Buffer;
  delayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const end = body.indexOf('\r\n', offset);
    if (end === -1) break;
    const size = Number.parseInt(body.subarray(offset, end).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(end + 2, end + 2 + size));
    offset = end + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Writes `chunks` on a fresh TCP connection to `baseUrl` and collects everything the server sends
 * until it closes the connection (or `timeoutMs`, then the connection is destroyed). With
 * `endAfterWrite` the client half-closes after its last chunk (a truncated body).
 *
 * @example
 * ```ts
 * const res = await sendRaw(baseUrl, [{ data: 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' }]);
 * res.status; // 401
 * ```
 */
export async function sendRaw(
  baseUrl: string,
  chunks: readonly RawChunk[],
  options: { timeoutMs?: number; endAfterWrite?: boolean } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  socket.on('error', () => undefined); // a reset is an answer too: status null
  const received: Buffer[] = [];
  socket.on('data', (data: Buffer) => received.push(data));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('error', () => resolve());
  });
  for (const chunk of chunks) {
    if (chunk.delayMs !== undefined) await sleep(chunk.delayMs);
    if (socket.destroyed) break;
    socket.write(chunk.data);
  }
  if (options.endAfterWrite === true && !socket.destroyed) socket.end();
  const timer = setTimeout(() => socket.destroy(), options.timeoutMs ?? 5_000);
  await closed;
  clearTimeout(timer);
  const raw = Buffer.concat(received);
  const split = raw.indexOf('\r\n\r\n');
  const head = (split === -1 ? raw : raw.subarray(0, split)).toString('latin1');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body: Buffer = split === -1 ? Buffer.alloc(0) : raw.subarray(split + 4);
  if (headers['transfer-encoding'] === 'chunked') body = decodeChunked(body);
  return {
    status: status === null ? null : Number(status[1]),
    headers,
    body: body.toString('utf8'),
    raw: raw.toString('latin1'),
  };
}

/** A request as raw text; `Connection: close` so the server ends the exchange. */
function request(
  method: string,
  path: string,
  headers: readonly (readonly [string, string])[],
  body?: string | Buffer,
): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body === undefined ? head : Buffer.concat([head, Buffer.from(body)]);
}

/** Checks one response: a contract status, and the contract's JSON shape for every refusal. */
function expectContract(res: RawResponse, label: string, allowed = FUZZ_ALLOWED_STATUSES): void {
  expect(res.status, `${label}: ${res.raw.slice(0, 200)}`).not.toBeNull();
  expect(allowed.has(res.status!), `${label}: status ${res.status} ${res.body.slice(0, 200)}`).toBe(
    true,
  );
  expect(res.headers['x-powered-by'], `${label}: framework banner`).toBeUndefined();
  if (res.status === 200) return;
  expect(res.headers['content-type'], `${label}: content-type`).toMatch(/^application\/json/);
  const body = JSON.parse(res.body) as { type?: unknown; error?: { type?: unknown } };
  expect(body.type, `${label}: body ${res.body.slice(0, 200)}`).toBe('error');
  expect(typeof body.error?.type, label).toBe('string');
  expect(res.headers['request-id'], `${label}: request-id`).toMatch(/^req_/);
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Registers the raw HTTP fuzzing suite for one adapter, started with `startServer` (the adapter's
 * contract server). Every case runs over a real socket. A `clientError` listener
 * (`createClientErrorHandler`) is added to the server when it has none, as the demos do.
 *
 * @example
 * ```ts
 * runHttpFuzz('koa', startKoaContractServer);
 * ```
 */
export function runHttpFuzz(adapterName: string, startServer: StartContractServer): void {
  describe(`${adapterName}: raw HTTP fuzzing`, () => {
    const store = new MemoryKeyStore();
    const capture = createSecretCapture();
    const secrets: string[] = [];
    let valid: string;
    let authenticator: Authenticator;
    let server: ContractServer;
    let proxied: { server: ContractServer; authenticator: Authenticator } | undefined;

    const start = async (auth: Authenticator): Promise<ContractServer> => {
      const started = await startServer({
        authenticator: auth,
        routes: MATRIX_ROUTES,
        bodyLimitBytes: CONTRACT_BODY_LIMIT_BYTES,
        variant: 'default',
        vocabulary: 'spec',
      });
      const http = started.httpServer;
      if (http !== undefined && http.listenerCount('clientError') === 0)
        http.on('clientError', createClientErrorHandler());
      return started;
    };

    beforeAll(async () => {
      const keys = new KeyManager({ store, environment: 'live' });
      valid = (await keys.createKey({ name: 'fuzz', permissions: ['*'] })).secret;
      secrets.push(valid);
      await keys.close();
      authenticator = createAuthenticator({
        store,
        // Low on purpose: the fuzzing floods this address with bad keys; valid keys must still pass.
        failedAuth: { maxPerMinute: 5 },
        rateLimit: { key: { rpm: 1_000_000 }, workspace: false },
        logger: capture.logger,
      });
      server = await start(authenticator);
    });

    afterAll(async () => {
      await server?.close();
      await authenticator?.close();
      if (proxied !== undefined) {
        await proxied.server.close();
        await proxied.authenticator.close();
      }
    });

    const send = async (
      label: string,
      chunks: readonly RawChunk[],
      options?: Parameters<typeof sendRaw>[2],
    ) => {
      const res = await sendRaw(server.baseUrl, chunks, options);
      capture.record(label, res.raw);
      return res;
    };
    const auth = (key = valid): [string, string][] => [
      ['x-api-key', key],
      ['anthropic-version', '2023-06-01'],
    ];

    it.each([
      ['duplicate x-api-key, same valid key', () => [...auth(), ['x-api-key', valid]], 401],
      [
        'duplicate x-api-key, valid and unknown',
        () => [...auth(), ['X-API-KEY', generateApiKey()]],
        401,
      ],
      [
        'oddly cased x-api-key',
        () => [
          ['x-aPi-KeY', valid],
          ['ANTHROPIC-version', '2023-06-01'],
        ],
        200,
      ],
      [
        'x-api-key with a trailing tab',
        () => [
          ['x-api-key', `${valid}\t`],
          ['anthropic-version', '2023-06-01'],
        ],
        200,
      ],
      [
        'x-api-key of latin-1 bytes',
        () => [
          ['x-api-key', `${valid.slice(0, -2)}\u00e9\u00ff`],
          ['anthropic-version', '2023-06-01'],
        ],
        401,
      ],
      ['x-api-key of 8 KB', () => auth(`cla_api_live_${'A'.repeat(8 * 1024)}`), 401],
      ['empty x-api-key', () => auth(''), 401],
      ['duplicate anthropic-version', () => [...auth(), ['anthropic-version', '2023-01-01']], 400],
    ] as const)('%s → %i', async (label, headers, status) => {
      const list = headers() as unknown as readonly (readonly [string, string])[];
      const res = await send(label, [{ data: request('GET', '/v1/models', list) }]);
      expectContract(res, label);
      if (status === 401) expect([401, 429], label).toContain(res.status);
      else expect(res.status, label).toBe(status);
    });

    it('answers a 20 KB header in the contract shape (431), never Node’s empty one', async () => {
      const res = await send('20 KB header', [
        { data: request('GET', '/v1/models', [...auth(), ['x-padding', 'p'.repeat(20 * 1024)]]) },
      ]);
      expectContract(res, '20 KB header');
      expect(res.status).toBe(431);
    });

    it.each([
      ['NUL in a header value', request('GET', '/v1/models', [...auth(), ['x-odd', 'a\u0000b']])],
      ['a bare LF request line', Buffer.from('GET /v1/models HTTP/1.1\nHost: x\n\n')],
      ['an invalid method', Buffer.from('G=T /v1/models HTTP/1.1\r\nHost: x\r\n\r\n')],
      [
        'garbage',
        Buffer.from('\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003'),
      ],
      [
        'a bad chunk size',
        Buffer.from(
          'POST /v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\ncontent-type: application/json\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
        ),
      ],
      [
        'content-length and chunked',
        Buffer.from(
          'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        ),
      ],
    ])('parser refusal, %s: the contract shape, or a closed connection', async (label, data) => {
      const res = await send(label, [{ data }]);
      if (res.status !== null) expectContract(res, label);
    });

    it.each([
      ['malformed JSON', 'application/json', undefined, '{"a":', [400]],
      [
        'a body above the limit',
        'application/json',
        undefined,
        JSON.stringify({ p: 'x'.repeat(CONTRACT_BODY_LIMIT_BYTES * 4) }),
        [413],
      ],
      ['text/plain', 'text/plain', undefined, 'hello', [415]],
      ['corrupt gzip', 'application/json', 'gzip', 'definitely not gzip', [400, 415]],
      [
        'truncated gzip',
        'application/json',
        'gzip',
        gzipSync('{"a":"b"}').subarray(0, 12),
        [400, 415],
      ],
      // Fastify's JSON parser (Nest on Fastify) decodes no encoding and reads the bytes as they are.
      ['an unknown content-encoding', 'application/json', 'x-bogus', '{}', [200, 400, 415]],
      ['an unknown charset', 'application/json; charset=x-bogus', undefined, '{}', [200, 400, 415]],
    ] as const)('body with %s → %j', async (label, type, encoding, body, statuses) => {
      const headers: [string, string][] = [...auth(), ['content-type', type]];
      if (encoding !== undefined) headers.push(['content-encoding', encoding]);
      const res = await send(label, [{ data: request('POST', '/v1/messages', headers, body) }]);
      expectContract(res, label);
      expect(statuses as readonly number[], `${label}: ${res.body.slice(0, 200)}`).toContain(
        res.status,
      );
    });

    it('a truncated body (the client stops sending and half-closes) never becomes a 500', async () => {
      const head = request('POST', '/v1/messages', [
        ...auth(),
        ['content-type', 'application/json'],
        ['content-length', '1000'],
      ]);
      const res = await send('truncated body', [{ data: head }, { data: '{"a":' }], {
        endAfterWrite: true,
        timeoutMs: 3_000,
      });
      if (res.status !== null) expectContract(res, 'truncated body');
    });

    it('a slow client does not stop others from being served', async () => {
      const slow = send(
        'slow client',
        [
          { data: 'GET /v1/models HTTP/1.1\r\nHost: x\r\n' },
          ...Array.from({ length: 8 }, (_, i) => ({ data: `x-slow-${i}: 1\r\n`, delayMs: 100 })),
        ],
        { timeoutMs: 1_500 },
      );
      const meanwhile = await send('served meanwhile', [
        { data: request('GET', '/v1/models', auth()) },
      ]);
      expect(meanwhile.status).toBe(200);
      const res = await slow;
      if (res.status !== null) expectContract(res, 'slow client');
    });

    it('twenty slow clients at once do not stop others from being served', async () => {
      const slow = Array.from({ length: 20 }, (_, n) =>
        send(
          `slow client ${n}`,
          [
            { data: 'POST /v1/messages HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n' },
            { data: `x-api-key: ${valid}\r\nanthropic-version: 2023-06-01\r\n`, delayMs: 200 },
            { data: 'content-length: 100\r\n\r\n{"a":', delayMs: 200 },
          ],
          { timeoutMs: 1_500 },
        ),
      );
      const started = performance.now();
      for (let i = 0; i < 5; i++) {
        const res = await send(`served among slow clients #${i}`, [
          { data: request('GET', '/v1/models', auth()) },
        ]);
        expect(res.status).toBe(200);
      }
      expect(performance.now() - started).toBeLessThan(5_000);
      for (const res of await Promise.all(slow))
        if (res.status !== null) expectContract(res, 'slow');
    });

    it('survives 300 random requests: contract statuses only, still serving, memory bounded', async () => {
      const next = random(0x13a);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
      const headerNames = [
        'x-api-key',
        'X-Api-Key',
        'authorization',
        'anthropic-version',
        'content-type',
        'anthropic-workspace-id',
        'x-forwarded-for',
        'content-encoding',
      ];
      const values = () =>
        pick([
          valid,
          generateApiKey(),
          '',
          'Bearer x',
          '2023-06-01',
          'application/json',
          'gzip',
          'a'.repeat(Math.floor(next() * 4000)),
          '\u00e9\u00e8',
          'wrkspc_x',
          '1.2.3.4, 5.6.7.8',
        ]);
      const paths = [
        '/v1/models',
        '/v1/messages',
        '/v1/admin/keys',
        '/v1/files',
        '/v1/workspaces/wrkspc_x/usage',
        '/v1/public/status',
        '/nope',
        '/v1/models?api_key=1',
        '/%',
        '/v1/../v1/models',
        `/${'a'.repeat(3000)}`,
      ];
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 300; i++) {
        const headers: [string, string][] = [];
        for (let h = Math.floor(next() * 6); h > 0; h--)
          headers.push([pick(headerNames), values()]);
        const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']);
        const body =
          method === 'POST' || next() < 0.2
            ? pick(['{}', '{"a":', 'x'.repeat(Math.floor(next() * 30_000)), '[]'])
            : undefined;
        const label = `random #${i} ${method}`;
        const res = await send(label, [{ data: request(method, pick(paths), headers, body) }]);
        if (method === 'HEAD' && res.status !== null) {
          expect(FUZZ_ALLOWED_STATUSES.has(res.status), label).toBe(true);
          continue;
        }
        if (res.status !== null) expectContract(res, label);
      }
      const grown = process.memoryUsage().heapUsed - before;
      console.info(
        `[fuzz] ${adapterName}: heap grew ${(grown / 1_048_576).toFixed(1)} MB over 300 random requests`,
      );
      expect(grown).toBeLessThan(64 * 1_048_576);
      // Still serving, and the valid key was never refused for this address's many failures.
      const after = await send('after the storm', [{ data: request('GET', '/v1/models', auth()) }]);
      expect(after.status).toBe(200);
    });

    it('a flood of bad keys from one address is throttled, its valid key never (defect 2)', async () => {
      const statuses: (number | null)[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await send(`bad key #${i}`, [
          {
            data: request('GET', '/v1/models', [
              ...auth(generateApiKey()),
              ['x-forwarded-for', `198.51.100.${i}`],
            ]),
          },
        ]);
        statuses.push(res.status);
      }
      // trustProxy is off: a spoofed x-forwarded-for does not escape the count.
      expect(statuses.at(-1)).toBe(429);
      const ok = await send('valid key after the flood', [
        { data: request('GET', '/v1/models', auth()) },
      ]);
      expect(ok.status).toBe(200);
    });

    it('with trustProxy, the adapter counts per forwarded client address', async () => {
      const behind = createAuthenticator({
        store,
        trustProxy: 'loopback',
        failedAuth: { maxPerMinute: 2 },
        logger: capture.logger,
      });
      proxied = { authenticator: behind, server: await start(behind) };
      const from = async (client: string) =>
        (
          await sendRaw(proxied!.server.baseUrl, [
            {
              data: request('GET', '/v1/models', [
                ...auth(generateApiKey()),
                ['x-forwarded-for', client],
              ]),
            },
          ])
        ).status;
      expect([
        await from('203.0.113.1'),
        await from('203.0.113.1'),
        await from('203.0.113.1'),
      ]).toEqual([401, 401, 429]);
      expect(await from('203.0.113.2')).toBe(401);
    });

    it('leaks no key material in any response or log line', () => {
      expect(capture.size).toBeGreaterThan(300);
      expect(capture.findings(secrets)).toEqual([]);
    });
  });
}
