/**
 * Starts one server row as its own Node process (pinned to the server core), waits for its IPC
 * `ready` message, reads its RSS from /proc, and stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { compileServers } from './compile-servers.js';
import { pinned, SERVER_CPU } from './cpu.js';
import type { ReadyMessage } from './servers/shared.js';

const READY_TIMEOUT_MS = 60_000;

/** A running server row. */
export interface RunningServer {
  pid: number;
  port: number;
  /** The key to send: the server's own (claude-auth rows) or the harness's. */
  apiKey: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Resident set size now, in bytes (Linux), or `null`. */
  rssBytes(): number | null;
  stop(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** The key bare and peer rows accept (`BENCH_API_KEY`). */
  apiKey: string;
  /** Extra environment for the server. */
  env?: Record<string, string>;
  /** Extra Node flags, e.g. `--expose-gc`, `--cpu-prof`. */
  nodeArgs?: string[];
  /** Another checkout whose server to run (a `--baseline` row); absent: this one. */
  root?: string;
}

/**
 * The resident set size of a process, from `/proc/<pid>/status` (`VmRSS`), or `null` off Linux.
 *
 * @example
 * ```ts
 * const rss = readRss(server.pid);
 * ```
 */
export function readRss(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const compiledDirs = new Map<string, string>();

function serverFile(server: string, root: string | undefined): string {
  let dir = compiledDirs.get(root ?? '');
  if (dir === undefined) {
    dir = compileServers(root);
    compiledDirs.set(root ?? '', dir);
  }
  return join(dir, `${server}.js`);
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Spawns `servers/<server>.ts` (transpiled to JavaScript once per run) and resolves once it
 * listens.
 *
 * @example
 * ```ts
 * const server = await startServer('bare-express', { apiKey });
 * try { ... } finally { await server.stop(); }
 * ```
 */
export async function startServer(
  server: string,
  options: StartServerOptions,
): Promise<RunningServer> {
  const command = [process.execPath, ...(options.nodeArgs ?? []), serverFile(server, options.root)];
  const [file, ...args] = pinned(command, SERVER_CPU);
  const child = spawn(file!, args, {
    cwd:
      options.root === undefined
        ? fileURLToPath(new URL('..', import.meta.url))
        : join(options.root, 'bench'),
    env: { ...process.env, NODE_ENV: 'production', BENCH_API_KEY: options.apiKey, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${server}: not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    const onExit = (code: number | null): void =>
      fail(
        new Error(
          `${server}: exited with ${String(code)} before ready: ${stderr.trim().slice(-1500)}`,
        ),
      );
    const onMessage = (message: unknown): void => {
      if ((message as ReadyMessage | null)?.type !== 'ready') return;
      cleanup();
      resolve(message as ReadyMessage);
    };
    function cleanup(): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('message', onMessage);
    }
    function fail(error: Error): void {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    }
    child.once('exit', onExit);
    child.on('message', onMessage);
    child.once('error', (error) => fail(error));
  });

  const pid = child.pid!;
  return {
    pid,
    port: ready.port,
    apiKey: ready.apiKey ?? options.apiKey,
    origin: `http://127.0.0.1:${ready.port}`,
    rssBytes: () => readRss(pid),
    async stop() {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    },
  };
}
