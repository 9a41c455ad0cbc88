import { execFile } from 'node:child_process';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CLI_BIN, REPO_ROOT, childEnv } from './paths.js';

/** The headers of an authenticated Claude-style call, minus the key. */
export const API_HEADERS = {
  'anthropic-version': '2023-06-01',
  'content-type': 'application/json',
} as const;

/** One HTTP exchange, timed. */
export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Wall-clock ms from sending to the end of the response body. */
  ms: number;
  /** `performance.now()` when the request was sent. */
  startedAt: number;
}

/** Options of {@link send}. */
export interface SendOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
  agent?: Agent;
  /** The exchange rejects after this long (default 10 000 ms): no test waits forever. */
  timeoutMs?: number;
}

/**
 * Sends one request with `node:http` and resolves to its status, headers, parsed JSON body and
 * latency.
 *
 * @example
 * ```ts
 * const res = await send(`${demo.url}/v1/models`, { headers: { ...API_HEADERS, 'x-api-key': secret } });
 * ```
 */
export function send(url: string, options: SendOptions = {}): Promise<Exchange> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const startedAt = performance.now();
  return new Promise<Exchange>((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? (payload === undefined ? 'GET' : 'POST'),
        headers: {
          ...options.headers,
          ...(payload === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(payload)) }),
        },
        agent: options.agent,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            // keep the text
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            ms: performance.now() - startedAt,
            startedAt,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * An agent that lets hundreds of requests run at once on loopback.
 *
 * @example
 * ```ts
 * const agent = wideAgent();
 * await Promise.all(urls.map((url) => send(url, { agent })));
 * agent.destroy();
 * ```
 */
export function wideAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 512 });
}

/** Counts of each status code, e.g. `{ 200: 50, 429: 350 }`. */
export function countStatuses(exchanges: readonly Exchange[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of exchanges) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/**
 * Runs the built `claude-auth` command as its own process.
 *
 * @example
 * ```ts
 * const { code } = await runCli(['keys', 'revoke', id], { CLAUDE_AUTH_STORE_URL: url });
 * ```
 */
export async function runCli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      { cwd: REPO_ROOT, env: childEnv(env), timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
