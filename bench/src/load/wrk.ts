/** Drives a server with wrk (one thread, pinned to the generator core) and parses its Lua report. */
import { runForResult } from './bench-result.js';
import { fileURLToPath } from 'node:url';
import { GENERATOR_CPU, pinned } from '../cpu.js';
import type { LoadResult, LoadSpec } from './load-types.js';

const STATIC_SCRIPT = fileURLToPath(new URL('./wrk-static.lua', import.meta.url));
const ROTATE_SCRIPT = fileURLToPath(new URL('./wrk-rotate.lua', import.meta.url));

interface WrkReport {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  connectErrors: number;
  readErrors: number;
  writeErrors: number;
  timeoutErrors: number;
  non2xx: number;
}

async function runOnce(spec: LoadSpec, seconds: number): Promise<WrkReport> {
  if (spec.keys.kind === 'generate') throw new Error('wrk cannot generate keys: use autocannon');
  const [script, scriptArg] =
    spec.keys.kind === 'static'
      ? [STATIC_SCRIPT, spec.keys.apiKey]
      : [ROTATE_SCRIPT, spec.keys.path];
  const args = [
    'wrk',
    '-t1',
    `-c${spec.connections}`,
    `-d${Math.max(1, Math.round(seconds))}s`,
    '--timeout',
    '5s',
    '-s',
    script,
    spec.url,
    '--',
    scriptArg,
  ];
  return runForResult<WrkReport>(pinned(args, GENERATOR_CPU), 'wrk');
}

/**
 * Warm-up (discarded), then the measured run.
 *
 * @example
 * ```ts
 * const result = await runWrk({ url, connections: 64, durationS: 8, warmupS: 2, keys: { kind: 'static', apiKey } });
 * ```
 */
export async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  if (spec.amount !== undefined) throw new Error('wrk cannot stop after an amount: use autocannon');
  if (spec.warmupS > 0) await runOnce(spec, spec.warmupS);
  const report = await runOnce(spec, spec.durationS);
  const durationS = report.durationUs / 1e6;
  return {
    generator: 'wrk',
    requests: report.requests,
    durationS,
    rps: report.requests / durationS,
    p50Ms: report.p50Us / 1000,
    p99Ms: report.p99Us / 1000,
    maxMs: report.maxUs / 1000,
    non2xx: report.non2xx,
    errors: report.connectErrors + report.readErrors + report.writeErrors + report.timeoutErrors,
  };
}
