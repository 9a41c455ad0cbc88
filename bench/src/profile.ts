/**
 * `--profile DIR`: runs the selected rows once each under `node --cpu-prof` and prints the
 * functions with the most self time, overall and in claude-auth's own code (`packages/*`), so the
 * owners of a missed target know where the hot path spends its time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runLoad, type GeneratorChoice } from './load/generator.js';
import type { LoadResult } from './load/load-types.js';
import type { RowSpec } from './rows.js';
import { startServer } from './server-process.js';

export interface CpuProfile {
  nodes: Array<{
    id: number;
    hitCount?: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of the samples. */
export interface HotFunction {
  name: string;
  location: string;
  selfMs: number;
  selfPercent: number;
}

/**
 * Self time per function (summed over a profile's nodes), highest first.
 *
 * @example
 * ```ts
 * const top = hotFunctions(JSON.parse(readFileSync(file, 'utf8'))).slice(0, 10);
 * ```
 */
export function hotFunctions(profile: CpuProfile): HotFunction[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, { name: string; location: string; us: number }>();
  let total = 0;
  profile.samples.forEach((nodeId, i) => {
    const node = byNode.get(nodeId);
    const delta = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    total += delta;
    const { functionName, url, lineNumber } = node.callFrame;
    const location = url
      ? `${url.replace(/^file:\/\//, '').replace(/^.*?\/(packages|node_modules|bench)\//, '$1/')}:${lineNumber + 1}`
      : '';
    const key = `${functionName}@${location}`;
    const entry = selfUs.get(key) ?? { name: functionName || '(anonymous)', location, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
  });
  return [...selfUs.values()]
    .map((e) => ({
      name: e.name,
      location: e.location,
      selfMs: e.us / 1000,
      selfPercent: total ? (100 * e.us) / total : 0,
    }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

function table(title: string, rows: HotFunction[]): string {
  const lines = [`${title}`, '| self % | self ms | function | location |', '|--:|--:|---|---|'];
  for (const r of rows)
    lines.push(
      `| ${r.selfPercent.toFixed(1)} | ${r.selfMs.toFixed(0)} | ${r.name} | ${r.location} |`,
    );
  return lines.join('\n');
}

/**
 * Profiles each row once (warm-up, then `durationS` of load) and returns a markdown summary.
 *
 * @example
 * ```ts
 * console.log(await profileRows(rows, { dir: 'profiles', durationS: 8, warmupS: 2, connections: 64, generator: 'auto', apiKey, floodKeysFile }));
 * ```
 */
export async function profileRows(
  rows: readonly RowSpec[],
  options: {
    dir: string;
    durationS: number;
    warmupS: number;
    connections: number;
    generator: GeneratorChoice;
    apiKey: string;
    floodKeysFile: string | null;
  },
): Promise<string> {
  const dir = resolve(options.dir);
  const out: string[] = [];
  for (const row of rows) {
    const name = `${row.id}-${Date.now()}.cpuprofile`;
    let load: LoadResult | null = null;
    const server = await startServer(row.server, {
      apiKey: options.apiKey,
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`],
    });
    try {
      const keys =
        row.load === 'flood' && options.floodKeysFile
          ? { kind: 'file' as const, path: options.floodKeysFile }
          : { kind: 'static' as const, apiKey: server.apiKey };
      load = await runLoad(options.generator, {
        url: `${server.origin}/v1/messages`,
        connections: options.connections,
        durationS: options.durationS,
        warmupS: options.warmupS,
        keys,
      });
    } finally {
      await server.stop();
    }
    const file = readdirSync(dir).find((f) => f === name);
    if (!file) {
      out.push(`${row.id}: no profile written`);
      continue;
    }
    const hot = hotFunctions(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    out.push(
      `### ${row.label} (\`${row.id}\`), ${load ? Math.round(load.rps) : '?'} req/s under the profiler, ${join(dir, file)}`,
      '',
    );
    out.push(table('Top self time, all code:', hot.slice(0, 15)), '');
    out.push(
      table(
        'Top self time, claude-auth code (packages/*):',
        hot.filter((h) => h.location.startsWith('packages/')).slice(0, 15),
      ),
      '',
    );
  }
  return out.join('\n');
}
