/**
 * What every benchmark server row shares: the reply, the listen-and-announce handshake with the
 * harness, the static key of the bare/peer rows, and a body reader for frameworks without one.
 *
 * A row file builds its app, then calls {@link serve} (node:http based apps) or
 * {@link announceReady} (apps that listen themselves, e.g. NestJS). The harness reads the port
 * (and, for claude-auth rows, the key the server created) from the IPC `ready` message.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The JSON every row answers with (a small Messages-API-like reply). */
export const REPLY = {
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'claude-bench',
  content: [{ type: 'text', text: 'ok' }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 1, output_tokens: 1 },
} as const;

/** {@link REPLY} serialized once, for rows that write strings. */
export const REPLY_JSON = JSON.stringify(REPLY);

/** The message a server sends to the harness once it accepts connections. */
export interface ReadyMessage {
  type: 'ready';
  port: number;
  /** The key the server's own store accepts (claude-auth rows create one at start-up). */
  apiKey?: string;
}

/**
 * The API key the bare and peer rows accept: passed by the harness in `BENCH_API_KEY`.
 *
 * @example
 * ```ts
 * const expected = benchApiKey();
 * ```
 */
export function benchApiKey(): string {
  const key = process.env.BENCH_API_KEY;
  if (!key) throw new Error('BENCH_API_KEY is not set: start servers through `pnpm bench`.');
  return key;
}

/**
 * A constant-time check of a header value against the expected key, as a careful peer stack
 * would write it.
 *
 * @example
 * ```ts
 * if (!keyMatches(req.headers['x-api-key'], expected)) return reject();
 * ```
 */
export function keyMatches(value: string | string[] | undefined, expected: string): boolean {
  if (typeof value !== 'string') return false;
  const a = Buffer.from(value);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Reads and parses a JSON request body (for node:http and Koa, which have no built-in parser).
 *
 * @example
 * ```ts
 * const body = await readJsonBody(req);
 * ```
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/**
 * Tells the harness the server is ready (IPC), and exits cleanly on SIGTERM/SIGINT or when the
 * harness goes away.
 *
 * @example
 * ```ts
 * await app.listen(0, '127.0.0.1');
 * announceReady(app.getHttpServer(), { close: () => app.close() });
 * ```
 */
export function announceReady(
  server: Server,
  options: { apiKey?: string; close?: () => Promise<unknown> } = {},
): void {
  const { port } = server.address() as AddressInfo;
  const message: ReadyMessage = {
    type: 'ready',
    port,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  };
  const stop = (): void => {
    const close = options.close ?? (() => new Promise((resolve) => server.close(resolve)));
    server.closeAllConnections();
    void close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  if (process.send) process.send(message);
  else console.log(`listening on http://127.0.0.1:${port}/v1/messages`);
}

/** A request listener; Koa's `callback()` returns a promise, which node:http ignores. */
export type AppListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Listens on an ephemeral port of 127.0.0.1 and announces readiness.
 *
 * @example
 * ```ts
 * await serve(app); // an Express app, `koa.callback()` or a plain listener
 * ```
 */
export async function serve(
  listener: AppListener,
  options: { apiKey?: string; close?: () => Promise<unknown> } = {},
): Promise<Server> {
  const server = createServer({ keepAliveTimeout: 60_000 }, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  announceReady(server, options);
  return server;
}
