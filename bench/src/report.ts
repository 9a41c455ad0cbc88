/** Turns {@link BenchResults} into the markdown printed at the end of a run (and pasted in docs). */
import { WELL_FORMED_SHARE } from './flood-keys.js';
import type {
  BenchResults,
  MemoryGrowthResult,
  MicroResult,
  RowResult,
  RowSample,
} from './results.js';
import { median, pairedRatio } from './stats.js';

const MB = 1024 * 1024;

/** The per-row numbers of the table. */
export interface RowSummary {
  id: string;
  label: string;
  runs: number;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50Ms: number;
  p99Ms: number;
  rssMb: number;
  vsBare: { against: string; ratio: number } | null;
  vsPeer: { against: string; ratio: number } | null;
  target: { against: string; min: number; ratio: number; pass: boolean } | null;
  non2xx: number;
  errors: number;
  /** Flood: store lookups per well-formed (checksum-valid) request. */
  lookupsPerWellFormed: number | null;
  failures: string[];
}

function rpsByRound(result: RowResult | undefined): Array<number | undefined> {
  return result ? result.samples.map((s) => s?.rps) : [];
}

/**
 * Computes medians, spreads and paired ratios for every row.
 *
 * @example
 * ```ts
 * const summaries = summarize(results);
 * ```
 */
export function summarize(results: BenchResults): RowSummary[] {
  const byId = new Map(results.rows.map((r) => [r.row.id, r]));
  const ratio = (
    id: string,
    against: string | undefined,
  ): { against: string; ratio: number } | null => {
    if (!against || !byId.has(against)) return null;
    const value = pairedRatio(rpsByRound(byId.get(id)), rpsByRound(byId.get(against)));
    return Number.isNaN(value) ? null : { against, ratio: value };
  };
  return results.rows.map((result) => {
    const { row } = result;
    const samples = result.samples.filter((s): s is RowSample => s !== null);
    const rps = samples.map((s) => s.rps);
    const target = row.target ? ratio(row.id, row.target.against) : null;
    const floodRequests = samples.reduce((n, s) => n + s.requests, 0) * WELL_FORMED_SHARE;
    const lookups = samples.reduce((n, s) => n + (s.lookups ?? 0), 0);
    return {
      id: row.id,
      label: row.label,
      runs: samples.length,
      rps: median(rps),
      rpsMin: Math.min(...rps),
      rpsMax: Math.max(...rps),
      p50Ms: median(samples.map((s) => s.p50Ms)),
      p99Ms: median(samples.map((s) => s.p99Ms)),
      rssMb: median(samples.map((s) => s.rssBytes).filter((b): b is number => b !== null)) / MB,
      vsBare: ratio(row.id, row.bare),
      vsPeer: ratio(row.id, row.peer),
      target:
        row.target && target
          ? { ...target, min: row.target.min, pass: target.ratio >= row.target.min }
          : null,
      non2xx: samples.reduce((n, s) => n + s.non2xx, 0),
      errors: samples.reduce((n, s) => n + s.errors, 0),
      lookupsPerWellFormed:
        row.load === 'flood' && floodRequests > 0 ? lookups / floodRequests : null,
      failures: result.failures,
    };
  });
}

const int = (n: number): string =>
  Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const times = (r: { ratio: number } | null): string => (r ? `${r.ratio.toFixed(2)}×` : '–');

function notes(s: RowSummary, flood: boolean): string {
  const parts: string[] = [];
  if (flood) {
    parts.push(`all non-2xx by design (${int(s.non2xx)})`);
    if (s.lookupsPerWellFormed !== null)
      parts.push(`${s.lookupsPerWellFormed.toFixed(3)} store lookups per well-formed key`);
  } else if (s.non2xx > 0) {
    parts.push(`**${int(s.non2xx)} non-2xx**`);
  }
  if (s.errors > 0) parts.push(`${int(s.errors)} socket errors`);
  if (s.failures.length > 0)
    parts.push(`${s.failures.length} failed run(s): ${s.failures[0]!.slice(0, 120)}`);
  return parts.join('; ');
}

function rowTable(results: BenchResults, summaries: RowSummary[]): string[] {
  const lines = [
    '| row | req/s (median) | spread (min–max) | p50 ms | p99 ms | RSS MB | vs bare | vs peer | target | notes |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|---|',
  ];
  for (const s of summaries) {
    const row = results.rows.find((r) => r.row.id === s.id)!.row;
    const target = row.target
      ? s.target
        ? `≥ ${row.target.min.toFixed(2)}× ${row.target.against}: ${s.target.ratio.toFixed(2)}× ${s.target.pass ? 'pass' : '**MISS**'}`
        : `≥ ${row.target.min.toFixed(2)}× ${row.target.against}: –`
      : '';
    const bare = s.vsBare ? `${times(s.vsBare)} ${s.vsBare.against}` : '–';
    const peer = s.vsPeer ? `${times(s.vsPeer)} ${s.vsPeer.against}` : '–';
    lines.push(
      `| ${s.label} (\`${s.id}\`) | ${s.runs ? int(s.rps) : 'failed'} | ${s.runs ? `${int(s.rpsMin)}–${int(s.rpsMax)}` : '–'} | ${fixed(s.p50Ms, 2)} | ${fixed(s.p99Ms, 2)} | ${fixed(s.rssMb, 0)} | ${bare} | ${peer} | ${target} | ${notes(s, row.load === 'flood')} |`,
    );
  }
  return lines;
}

/** The largest loss against the bare row a change may cost (issue: 3 %). */
export const MAX_AB_LOSS = 0.03;

/**
 * The A/B table of a `--baseline` run: each claude-auth row against its bare row, after (this
 * checkout) and before (the baseline), and the paired after/before throughput ratio.
 */
function abLines(results: BenchResults): string[] {
  const byId = new Map(results.rows.map((r) => [r.row.id, r]));
  const lines = [
    '| row | after vs bare | before vs bare | change vs bare | after / before (paired) | within 3 % |',
    '|---|--:|--:|--:|--:|---|',
  ];
  for (const twin of results.rows) {
    const afterId = twin.row.baselineOf;
    const bare = twin.row.bare;
    if (afterId === undefined || bare === undefined) continue;
    const after = pairedRatio(rpsByRound(byId.get(afterId)), rpsByRound(byId.get(bare)));
    const before = pairedRatio(rpsByRound(twin), rpsByRound(byId.get(bare)));
    const direct = pairedRatio(rpsByRound(byId.get(afterId)), rpsByRound(twin));
    const change = after / before - 1;
    const pass = Number.isFinite(change) ? (change >= -MAX_AB_LOSS ? 'yes' : '**NO**') : '–';
    lines.push(
      `| \`${afterId}\` vs \`${bare}\` | ${fixed(after, 3)}× | ${fixed(before, 3)}× | ${Number.isFinite(change) ? `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %` : '–'} | ${fixed(direct, 3)}× | ${pass} |`,
    );
  }
  return lines;
}

function memoryLines(memory: MemoryGrowthResult): string[] {
  const growth = (memory.rssAfterBytes - memory.rssBeforeBytes) / MB;
  const retained = (memory.rssAfterGcBytes - memory.rssBeforeGcBytes) / MB;
  const statuses = Object.entries(memory.statuses)
    .map(([code, count]) => `${code}: ${int(count)}`)
    .join(', ');
  return [
    `| distinct well-formed keys | RSS before | RSS after | growth | retained (after full GC, before → after) | store lookups | responses | target |`,
    '|--:|--:|--:|--:|--:|--:|---|---|',
    `| ${int(memory.keys)} | ${fixed(memory.rssBeforeBytes / MB, 1)} MB | ${fixed(memory.rssAfterBytes / MB, 1)} MB | ${fixed(growth, 1)} MB | ${fixed(retained, 1)} MB (${fixed(memory.rssBeforeGcBytes / MB, 1)} → ${fixed(memory.rssAfterGcBytes / MB, 1)}) | ${int(memory.lookups)} | ${statuses} (${int(memory.rps)} req/s) | < ${memory.targetMb} MB: ${growth < memory.targetMb ? 'pass' : '**MISS**'} |`,
  ];
}

function microLines(micro: MicroResult[]): string[] {
  const lines = ['| operation | mean | p99 | ops/s | target |', '|---|--:|--:|--:|---|'];
  const fmt = (ns: number): string =>
    ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
  for (const m of micro) {
    const target =
      m.targetNs === undefined
        ? ''
        : `< ${fmt(m.targetNs)}: ${m.meanNs < m.targetNs ? 'pass' : '**MISS**'}`;
    lines.push(
      `| ${m.name} | ${fmt(m.meanNs)} | ${fmt(m.p99Ns)} | ${int(m.opsPerSecond)} | ${target} |`,
    );
  }
  return lines;
}

/**
 * The full markdown report: machine, configuration, the row table, flood probes, memory growth
 * and micro-benchmarks.
 *
 * @example
 * ```ts
 * console.log(renderReport(results));
 * ```
 */
export function renderReport(results: BenchResults): string {
  const { machine, config } = results;
  const out: string[] = [];
  out.push(
    `Machine: ${machine.nproc} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}; ` +
      `load average at start ${machine.loadAverage}; server and generator ${machine.pinned ? 'pinned to cores 0 and 1 (taskset)' : 'not pinned'}.`,
    `Load: ${config.generator}, ${config.connections} connections, ${config.rounds} round(s) × ${config.durationS} s after ${config.warmupS} s warm-up, rows interleaved; ` +
      `\`POST /v1/messages\` with \`x-api-key\`, \`anthropic-version: 2023-06-01\`, \`content-type: application/json\`, small JSON body.`,
    '',
  );
  const summaries = summarize(results);
  if (summaries.length > 0) {
    out.push(...rowTable(results, summaries), '');
    out.push(
      'Ratios are medians of per-round paired ratios (each round runs every row once, back to back). ' +
        'claude-auth rows: memory store with the verification cache, key rate limit of 10,000,000 rpm (limiter runs, headers written).',
      '',
    );
    const probes = results.rows.flatMap((r) =>
      r.probes
        .filter((p) => p.status !== p.expected)
        .map((p) => `${r.row.id} ${p.name}: ${p.status} (expected ${p.expected})`),
    );
    if (probes.length > 0) out.push(`**Unexpected probe statuses:** ${probes.join('; ')}`, '');
    if (results.rows.some((r) => r.row.baselineOf !== undefined)) {
      out.push('A/B against the baseline checkout (same rounds, interleaved):', '');
      out.push(...abLines(results), '');
    }
  }
  if (results.memoryGrowth) {
    out.push(
      'Memory growth under distinct random well-formed keys (claude-auth Express, autocannon):',
      '',
    );
    if ('error' in results.memoryGrowth) out.push(`failed: ${results.memoryGrowth.error}`);
    else out.push(...memoryLines(results.memoryGrowth));
    out.push('');
  }
  if (results.micro) {
    out.push('Pipeline micro-benchmarks (tinybench, one process, pinned):', '');
    if ('error' in results.micro) out.push(`failed: ${results.micro.error}`);
    else out.push(...microLines(results.micro));
    out.push('');
  }
  return out.join('\n');
}
