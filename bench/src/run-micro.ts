/** Runs `micro.ts` in its own pinned process and reads its JSON report. */
import { runForResult } from './load/bench-result.js';
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
  return runForResult<MicroResult[]>(
    pinned([process.execPath, '--import', 'tsx', file, '--json'], SERVER_CPU),
    'micro.ts',
    {
      env: { ...process.env, NODE_ENV: 'production', BENCH_MICRO_MS: quick ? '300' : '1500' },
      tailChars: 600,
    },
  );
}
