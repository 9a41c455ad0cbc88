/** The shape of `bench/results/latest.json` (and what the report renders). */
import type { LoadResult } from './load/load-types.js';
import type { RowSpec } from './rows.js';

/** The machine the numbers come from. */
export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  node: string;
  os: string;
  memoryGb: number;
  /** 1-minute load average when the run started (other work on the machine skews numbers). */
  loadAverage: number;
  pinned: boolean;
  wrk: string | null;
}

/** One measured run of one row in one round. */
export interface RowSample extends LoadResult {
  round: number;
  /** Server RSS at the end of the measurement, bytes. */
  rssBytes: number | null;
  /** Store lookups (`findKeyByHash`) during the measurement (claude-auth Express rows). */
  lookups?: number;
}

/** A probe request sent before the load, to check the row answers as expected. */
export interface Probe {
  name: string;
  status: number;
  expected: number;
}

/** Everything measured for a row. */
export interface RowResult {
  row: RowSpec;
  /** Indexed by round; `null` where the run failed. */
  samples: Array<RowSample | null>;
  failures: string[];
  probes: Probe[];
}

/** The memory-growth scenario: distinct well-formed unknown keys against claude-auth Express. */
export interface MemoryGrowthResult {
  keys: number;
  requests: number;
  rps: number;
  /** RSS as the process runs, after warm-up (heap at its working size). */
  rssBeforeBytes: number;
  /** RSS right after the last request: growth = after − before (the target's measure). */
  rssAfterBytes: number;
  /** RSS after a forced full GC, before and after: what the keys left behind (retained). */
  rssBeforeGcBytes: number;
  rssAfterGcBytes: number;
  lookups: number;
  statuses: Record<string, number>;
  /** Growth (after − before) must stay under this. */
  targetMb: number;
}

/** One micro-benchmark (tinybench). */
export interface MicroResult {
  name: string;
  /** Mean time per operation, nanoseconds. */
  meanNs: number;
  /** p99 time per operation, nanoseconds. */
  p99Ns: number;
  opsPerSecond: number;
  samples: number;
  /** Upper bound from the issue, if any. */
  targetNs?: number;
}

/** The whole run. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  config: {
    rounds: number;
    durationS: number;
    warmupS: number;
    connections: number;
    generator: string;
    quick: boolean;
    floodKeys: number;
  };
  rows: RowResult[];
  memoryGrowth: MemoryGrowthResult | { error: string } | null;
  micro: MicroResult[] | { error: string } | null;
}
