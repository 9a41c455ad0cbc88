/** Running a child that reports with one `BENCH_RESULT <json>` line on stdout. */
import { spawn, type SpawnOptions } from 'node:child_process';

const PREFIX = 'BENCH_RESULT ';

/**
 * Runs `command` (file and arguments), waits for it to exit, and returns the JSON of its
 * `BENCH_RESULT` line. A non-zero exit or a missing line throws with the end of its output,
 * naming the child as `name`.
 *
 * @example
 * ```ts
 * const result = await runForResult<LoadResult>([process.execPath, 'worker.js'], 'load worker');
 * ```
 */
export async function runForResult<T>(
  command: string[],
  name: string,
  options: Omit<SpawnOptions, 'stdio'> & { tailChars?: number } = {},
): Promise<T> {
  const { tailChars = 500, ...spawnOptions } = options;
  const [file, ...args] = command;
  const child = spawn(file!, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const line = stdout.split('\n').find((l) => l.startsWith(PREFIX));
  if (code !== 0 || !line) {
    throw new Error(
      `${name} exited with ${String(code)}: ${(stderr || stdout).trim().slice(-tailChars)}`,
    );
  }
  return JSON.parse(line.slice(PREFIX.length)) as T;
}
