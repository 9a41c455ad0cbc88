/** Runs the autocannon worker in a separate, pinned Node process and reads its report. */
import { runForResult } from './bench-result.js';
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
  return runForResult<LoadResult>(
    pinned([process.execPath, '--import', 'tsx', WORKER, JSON.stringify(spec)], GENERATOR_CPU),
    'autocannon worker',
  );
}
