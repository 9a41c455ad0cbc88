/**
 * `pnpm bench`: starts each row's server in its own pinned process, drives it with a separate
 * pinned load generator (wrk, else autocannon), interleaves rows over rounds, then prints the
 * markdown table and writes `bench/results/latest.json`. See docs/benchmarks.md.
 */
import type * as CoreModule from '@claude-auth/core';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WELL_FORMED_SHARE, writeFloodKeys } from './flood-keys.js';
import { generatorFor, runLoad } from './load/generator.js';
import type { KeySource, LoadSpec } from './load/load-types.js';
import { machineInfo } from './machine.js';
import { measureMemoryGrowth } from './memory-growth.js';
import { resolveOptions, type BenchOptions } from './options.js';
import { benchStats, probeAll } from './probe.js';
import { profileRows } from './profile.js';
import { renderReport } from './report.js';
import type { BenchResults, RowResult, RowSample } from './results.js';
import { ROWS, withBaseline, type RowSpec } from './rows.js';
import { runMicro } from './run-micro.js';
import { startServer } from './server-process.js';

const log = (message: string): void => void process.stderr.write(`${message}\n`);
const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

type Core = typeof CoreModule;

async function loadCore(): Promise<Core | null> {
  try {
    const core = await import('@claude-auth/core');
    return typeof core.generateApiKey === 'function' ? core : null;
  } catch {
    return null;
  }
}

/** The key the bare and peer rows accept: key-shaped, so every row parses the same header size. */
function harnessKey(core: Core | null): string {
  return core
    ? core.generateApiKey()
    : `cla_api_live_${randomBytes(37).toString('base64url').slice(0, 49)}`;
}

/** Flood probes: one of each kind of invalid key; every one must get 401. */
function floodProbeCases(core: Core): Array<{ name: string; apiKey: string; expected: number }> {
  const wellFormed = core.generateApiKey();
  return [
    { name: 'well-formed unknown', apiKey: wellFormed, expected: 401 },
    {
      name: 'bad checksum',
      apiKey: wellFormed.slice(0, -1) + (wellFormed.endsWith('A') ? 'B' : 'A'),
      expected: 401,
    },
    { name: 'garbage', apiKey: 'not a key at all', expected: 401 },
    {
      name: 'foreign format',
      apiKey: `sk-ant-api03-${randomBytes(30).toString('base64url')}`,
      expected: 401,
    },
  ];
}

async function measureRow(
  row: RowSpec,
  round: number,
  options: BenchOptions,
  context: { apiKey: string; floodKeysFile: string | null; core: Core | null; result: RowResult },
): Promise<RowSample> {
  if (row.load === 'flood' && (!context.floodKeysFile || !context.core)) {
    throw new Error('needs a built @claude-auth/core (generateApiKey) for the flood keys');
  }
  const server = await startServer(row.server, {
    apiKey: context.apiKey,
    ...(row.root === undefined ? {} : { root: row.root }),
  });
  try {
    const url = `${server.origin}/v1/messages`;
    if (round === 0 || context.result.probes.length === 0) {
      const cases =
        row.load === 'flood'
          ? floodProbeCases(context.core!)
          : [{ name: 'valid key', apiKey: server.apiKey, expected: 200 }];
      context.result.probes = await probeAll(server.origin, cases);
    }
    const keys: KeySource =
      row.load === 'flood'
        ? { kind: 'file', path: context.floodKeysFile! }
        : { kind: 'static', apiKey: server.apiKey };
    const base: Omit<LoadSpec, 'durationS'> = {
      url,
      connections: options.connections,
      warmupS: 0,
      keys,
    };
    await runLoad(options.generator, { ...base, durationS: options.warmupS });
    const counted = row.server.startsWith('claude-express');
    const before = counted ? (await benchStats(server.origin)).lookups : 0;
    const load = await runLoad(options.generator, { ...base, durationS: options.durationS });
    const rssBytes = server.rssBytes();
    const after = counted ? (await benchStats(server.origin)).lookups : 0;
    return { ...load, round, rssBytes, ...(counted ? { lookups: after - before } : {}) };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const options = resolveOptions(
    process.argv.slice(2),
    process.env,
    join(here, '..', 'results', 'latest.json'),
  );
  if (!options) return;
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const core = await loadCore();
  if (!core)
    log(
      'note: @claude-auth/core is not built: claude-auth rows, flood, memory and micro will fail (run `pnpm build`).',
    );
  const apiKey = harnessKey(core);
  const selected = ROWS.filter((r) => options.rows.includes(r.id));
  const rows = options.baseline === null ? selected : withBaseline(selected, options.baseline);
  if (options.baseline !== null)
    log(`baseline: claude-auth rows also run from ${options.baseline}`);
  const generatorName = generatorFor(options.generator, { keys: { kind: 'static', apiKey } });
  log(
    `bench: ${rows.length} rows × ${options.rounds} round(s) × ${options.durationS} s (+${options.warmupS} s warm-up), ` +
      `${options.connections} connections, generator ${generatorName}, ${machine.pinned ? 'pinned' : 'not pinned'}, ` +
      `${machine.nproc} × ${machine.cpuModel}, load average ${machine.loadAverage}`,
  );

  const tmp = mkdtempSync(join(tmpdir(), 'claude-auth-bench-'));
  try {
    let floodKeysFile: string | null = null;
    const needsFloodKeys = rows.some((r) => r.load === 'flood');
    if (needsFloodKeys && core) {
      floodKeysFile = join(tmp, 'flood-keys.txt');
      await writeFloodKeys(floodKeysFile, options.floodKeys, () => core.generateApiKey());
      log(
        `flood: ${options.floodKeys.toLocaleString('en-US')} keys (${WELL_FORMED_SHARE * 100}% well-formed unknown, the rest garbage)`,
      );
    }

    if (options.profileDir) {
      mkdirSync(options.profileDir, { recursive: true });
      console.log(
        await profileRows(rows, {
          dir: options.profileDir,
          durationS: options.durationS,
          warmupS: options.warmupS,
          connections: options.connections,
          generator: options.generator,
          apiKey,
          floodKeysFile,
        }),
      );
      return;
    }

    const results: RowResult[] = rows.map((row) => ({
      row,
      samples: [],
      failures: [],
      probes: [],
    }));
    for (let round = 0; round < options.rounds; round++) {
      // Rotate the order each round so no row always runs first (or right after a heavy one).
      const offset = round % results.length;
      const order = [...results.slice(offset), ...results.slice(0, offset)];
      for (const result of order) {
        const { row } = result;
        try {
          const sample = await measureRow(row, round, options, {
            apiKey,
            floodKeysFile,
            core,
            result,
          });
          result.samples[round] = sample;
          log(
            `[${round + 1}/${options.rounds}] ${row.id.padEnd(22)} ${Math.round(sample.rps).toString().padStart(7)} req/s  ` +
              `p50 ${sample.p50Ms.toFixed(2)} ms  p99 ${sample.p99Ms.toFixed(2)} ms  RSS ${sample.rssBytes ? Math.round(sample.rssBytes / 2 ** 20) : '?'} MB` +
              (sample.non2xx ? `  non-2xx ${sample.non2xx}` : '') +
              (sample.lookups !== undefined ? `  lookups ${sample.lookups}` : ''),
          );
        } catch (error) {
          result.samples[round] = null;
          result.failures.push(errorText(error));
          log(
            `[${round + 1}/${options.rounds}] ${row.id}: FAILED ${errorText(error).split('\n')[0]}`,
          );
        }
      }
    }

    let memoryGrowth: BenchResults['memoryGrowth'] = null;
    if (options.scenarios.includes('memory-growth')) {
      log(
        `memory-growth: ${options.memoryKeys.toLocaleString('en-US')} distinct well-formed keys against claude-express ...`,
      );
      memoryGrowth = await measureMemoryGrowth({
        keys: options.memoryKeys,
        connections: options.connections,
        generator: options.generator,
        apiKey,
      }).catch((error: unknown) => ({ error: errorText(error) }));
    }

    let micro: BenchResults['micro'] = null;
    if (options.scenarios.includes('micro')) {
      log('micro: pipeline micro-benchmarks ...');
      micro = await runMicro(options.quick).catch((error: unknown) => ({
        error: errorText(error),
      }));
    }

    const output: BenchResults = {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine,
      config: {
        rounds: options.rounds,
        durationS: options.durationS,
        warmupS: options.warmupS,
        connections: options.connections,
        generator: generatorName,
        quick: options.quick,
        floodKeys: options.floodKeys,
      },
      rows: results,
      memoryGrowth,
      micro,
    };
    mkdirSync(dirname(options.output), { recursive: true });
    writeFileSync(options.output, `${JSON.stringify(output, null, 2)}\n`);
    console.log(`\n${renderReport(output)}`);
    log(`results: ${options.output}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
