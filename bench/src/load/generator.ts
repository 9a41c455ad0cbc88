/** Picks the load generator: wrk when installed (and usable for the spec), else autocannon. */
import { hasCommand } from '../cpu.js';
import { runAutocannon } from './autocannon.js';
import type { LoadResult, LoadSpec } from './load-types.js';
import { runWrk } from './wrk.js';

/** `auto` prefers wrk; `BENCH_GENERATOR` / `--generator` force one. */
export type GeneratorChoice = 'auto' | 'wrk' | 'autocannon';

/**
 * The generator that will drive a spec under a choice.
 *
 * @example
 * ```ts
 * generatorFor('auto', spec); // 'wrk' when installed
 * ```
 */
export function generatorFor(
  choice: GeneratorChoice,
  spec: Pick<LoadSpec, 'amount' | 'keys'>,
): 'wrk' | 'autocannon' {
  const wrkCan = spec.amount === undefined && spec.keys.kind !== 'generate';
  if (choice === 'wrk') {
    if (!hasCommand('wrk')) throw new Error('--generator wrk, but wrk is not installed');
    return wrkCan ? 'wrk' : 'autocannon';
  }
  if (choice === 'autocannon') return 'autocannon';
  return wrkCan && hasCommand('wrk') ? 'wrk' : 'autocannon';
}

/**
 * Runs one load (warm-up, then measurement) with the chosen generator.
 *
 * @example
 * ```ts
 * const result = await runLoad('auto', { url, connections: 64, durationS: 8, warmupS: 2, keys });
 * ```
 */
export async function runLoad(choice: GeneratorChoice, spec: LoadSpec): Promise<LoadResult> {
  return generatorFor(choice, spec) === 'wrk' ? runWrk(spec) : runAutocannon(spec);
}
