/** Runs `micro.ts` in its own pinned process and reads its JSON report. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinned, SERVER_CPU } from './cpu.js';
import type { MicroResult } from './results.js';

/**
 * Runs the pipeline micro-benchmarks; `quick` shortens each task.
 *
 * @example
 * ```ts
 * const micro = await runMicro(false);
 * ```
 */
export async function runMicro(quick: boolean): Promise<MicroResult[]> {
  const file = fileURLToPath(new URL('./micro.ts', import.meta.url));
  const [command, ...args] = pinned(
    [process.execPath, '--import', 'tsx', file, '--json'],
    SERVER_CPU,
  );
  const child = spawn(command!, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', BENCH_MICRO_MS: quick ? '300' : '1500' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line)
    throw new Error(`micro.ts exited with ${String(code)}: ${stderr.trim().slice(-600)}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as MicroResult[];
}
