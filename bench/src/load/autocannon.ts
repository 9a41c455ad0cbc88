/** Runs the autocannon worker in a separate, pinned Node process and reads its report. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GENERATOR_CPU, pinned } from '../cpu.js';
import type { LoadResult, LoadSpec } from './load-types.js';

const WORKER = fileURLToPath(new URL('./autocannon-worker.ts', import.meta.url));

/**
 * Warm-up (discarded), then the measured run, with autocannon in its own process.
 *
 * @example
 * ```ts
 * const result = await runAutocannon({ url, connections: 64, durationS: 8, warmupS: 2, keys: { kind: 'static', apiKey } });
 * ```
 */
export async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const [file, ...args] = pinned(
    [process.execPath, '--import', 'tsx', WORKER, JSON.stringify(spec)],
    GENERATOR_CPU,
  );
  const child = spawn(file!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line) {
    throw new Error(`autocannon worker exited with ${String(code)}: ${stderr.trim().slice(-500)}`);
  }
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as LoadResult;
}
