import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';

/** What a finished command left behind. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `file args` to completion without a shell and never rejects: a non-zero exit, a signal or
 * a timeout shows in `code` (null for a signal or a timeout) and the captured output.
 *
 * @example
 * ```ts
 * const { code, stdout } = await run('node', ['--version']);
 * ```
 */
export function run(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 32 * 1024 * 1024,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}

/** The workspace's TypeScript compiler (`tsc`), run with the current Node. */
export const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * The environment for a child `pnpm`/`node`: the caller's, without what the outer `pnpm run` set
 * (`npm_*`, `PNPM_SCRIPT_SRC_DIR`), so a nested install behaves as in a fresh shell.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(name) || name === 'PNPM_SCRIPT_SRC_DIR' || name.startsWith('TURBO_')) {
      continue;
    }
    env[name] = value;
  }
  return { ...env, ...extra };
}
