/**
 * Command-line flags and `BENCH_*` environment variables, resolved once into {@link BenchOptions}.
 * Flags win over the environment; `--quick` (or `BENCH_QUICK=1`) sets short defaults.
 */
import { parseArgs } from 'node:util';
import type { GeneratorChoice } from './load/generator.js';
import { ROWS, SCENARIOS } from './rows.js';

/** The resolved run configuration. */
export interface BenchOptions {
  quick: boolean;
  rounds: number;
  /** Measured seconds per row and round. */
  durationS: number;
  /** Warm-up seconds per row and round (discarded). */
  warmupS: number;
  connections: number;
  generator: GeneratorChoice;
  /** Row ids to run, in table order. */
  rows: string[];
  /** Scenario ids to run. */
  scenarios: string[];
  /** Distinct keys in the flood's rotation file. */
  floodKeys: number;
  /** Distinct well-formed keys sent in the memory-growth scenario. */
  memoryKeys: number;
  /** Write a `--cpu-prof` profile of each selected row's server here (one run per row). */
  profileDir: string | null;
  /** Where the JSON goes. */
  output: string;
  /** Another checkout (built) whose claude-auth rows run beside this one's (`--baseline`). */
  baseline: string | null;
}

const USAGE = `pnpm bench [-- options]
  --quick               1 round, 2 s, short warm-up, 50k keys for memory growth (BENCH_QUICK=1)
  --rounds N            rounds per row (BENCH_ROUNDS, default 3)
  --duration S          measured seconds per run (BENCH_DURATION, default 8)
  --warmup S            warm-up seconds per run (BENCH_WARMUP, default 2)
  --connections N       concurrent connections (BENCH_CONNECTIONS, default 64)
  --generator G         auto | wrk | autocannon (BENCH_GENERATOR, default auto: wrk if installed)
  --rows a,b            rows and scenarios to run (BENCH_ROWS); ids below
  --memory-keys N       distinct keys for the memory-growth scenario (BENCH_MEMORY_KEYS, default 1000000)
  --flood-keys N        distinct keys in the flood rotation (BENCH_FLOOD_KEYS, default 100000)
  --profile DIR         run each selected row once under --cpu-prof, write profiles to DIR, print hot functions
  --output FILE         JSON results (default bench/results/latest.json)
  --baseline DIR        also run each claude-auth row from another built checkout (BENCH_BASELINE), interleaved: A/B table
rows: ${ROWS.map((r) => r.id).join(', ')}
scenarios: ${SCENARIOS.join(', ')}`;

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * Parses argv and the environment.
 *
 * @example
 * ```ts
 * const options = resolveOptions(process.argv.slice(2), process.env);
 * ```
 */
export function resolveOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
  defaultOutput: string,
): BenchOptions | null {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      quick: { type: 'boolean' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      generator: { type: 'string' },
      rows: { type: 'string' },
      'memory-keys': { type: 'string' },
      'flood-keys': { type: 'string' },
      profile: { type: 'string' },
      output: { type: 'string' },
      baseline: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return null;
  }
  const quick = values.quick ?? (env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true');
  const generator = (values.generator ?? env.BENCH_GENERATOR ?? 'auto') as GeneratorChoice;
  if (!['auto', 'wrk', 'autocannon'].includes(generator))
    throw new Error(`unknown generator ${generator}`);

  const known = new Set<string>([...ROWS.map((r) => r.id), ...SCENARIOS]);
  const selected = (values.rows ?? env.BENCH_ROWS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of selected) if (!known.has(id)) throw new Error(`unknown row ${id}\n${USAGE}`);
  const wanted = (id: string): boolean => selected.length === 0 || selected.includes(id);

  return {
    quick,
    rounds: Math.round(positive('rounds', values.rounds ?? env.BENCH_ROUNDS, quick ? 1 : 3)),
    durationS: positive('duration', values.duration ?? env.BENCH_DURATION, quick ? 2 : 8),
    warmupS: positive('warmup', values.warmup ?? env.BENCH_WARMUP, quick ? 1 : 2),
    connections: Math.round(
      positive('connections', values.connections ?? env.BENCH_CONNECTIONS, 64),
    ),
    generator,
    rows: ROWS.map((r) => r.id).filter(wanted),
    scenarios: SCENARIOS.filter(wanted),
    floodKeys: Math.round(
      positive(
        'flood-keys',
        values['flood-keys'] ?? env.BENCH_FLOOD_KEYS,
        quick ? 20_000 : 100_000,
      ),
    ),
    memoryKeys: Math.round(
      positive(
        'memory-keys',
        values['memory-keys'] ?? env.BENCH_MEMORY_KEYS,
        quick ? 50_000 : 1_000_000,
      ),
    ),
    profileDir: values.profile ?? null,
    output: values.output ?? defaultOutput,
    baseline: values.baseline ?? (env.BENCH_BASELINE || null),
  };
}
