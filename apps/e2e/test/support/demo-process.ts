import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { EXPRESS_DEMO_DIR, childEnv } from './paths.js';

/** One running Express demo process. */
export interface DemoProcess {
  readonly name: string;
  readonly pid: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string;
  /** SIGTERM (graceful shutdown), then SIGKILL after 5 s; resolves when it has exited. */
  stop(): Promise<void>;
}

const LISTENING = /express-demo listening on (http:\/\/\S+)/;

/**
 * Starts `node --import tsx src/main.ts` in `apps/express-demo` (its `start` script, minus the
 * build) with `PORT=0` and `env`, and resolves once it logs the URL it listens on.
 *
 * @example
 * ```ts
 * const demo = await startDemo('A', { CLAUDE_AUTH_STORE_URL: 'sqlite:/tmp/keys.db' });
 * await fetch(`${demo.url}/v1/models`);
 * await demo.stop();
 * ```
 */
export async function startDemo(
  name: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<DemoProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: EXPRESS_DEMO_DIR,
    env: childEnv({ PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited = false;
  const exit = once(child, 'exit').then(() => {
    exited = true;
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`demo ${name} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: string): void => {
      output += chunk;
      const match = LISTENING.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n--- ${name} output ---\n${output}`));
    }
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code, signal) =>
      fail(new Error(`demo ${name} exited (${code ?? signal}) before listening`)),
    );
  });

  const pid = child.pid!;
  return {
    name,
    pid,
    url,
    logs: () => output,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts several demos at once. If any fails to start, the others are stopped before the error is
 * rethrown, so no process outlives the test.
 *
 * @example
 * ```ts
 * const [a, b] = await startDemos([['A', env], ['B', env]]);
 * ```
 */
export async function startDemos(
  specs: ReadonlyArray<readonly [name: string, env: Record<string, string>]>,
): Promise<DemoProcess[]> {
  const settled = await Promise.allSettled(specs.map(([name, env]) => startDemo(name, env)));
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(started.map((d) => d.stop()));
    throw failed.reason;
  }
  return started;
}
