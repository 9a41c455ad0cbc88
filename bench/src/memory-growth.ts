/**
 * The memory-growth scenario: claude-auth Express receives N distinct random well-formed keys
 * (valid checksums, unknown to the store, one per request, generated inside the autocannon
 * process). The server's RSS before and after tells whether anything grows per distinct key
 * (caches, limiter buckets, failed-attempt counters) beyond its bound.
 */
import { runAutocannon } from './load/autocannon.js';
import { runLoad, type GeneratorChoice } from './load/generator.js';
import { benchStats } from './probe.js';
import type { MemoryGrowthResult } from './results.js';
import { startServer } from './server-process.js';

/** The bound on RSS growth over 1,000,000 distinct keys. */
export const MEMORY_TARGET_MB = 50;

/**
 * Runs the scenario and returns RSS before/after (and after a forced GC).
 *
 * @example
 * ```ts
 * const memory = await measureMemoryGrowth({ keys: 1_000_000, connections: 64, generator: 'auto', apiKey });
 * ```
 */
export async function measureMemoryGrowth(options: {
  keys: number;
  connections: number;
  generator: GeneratorChoice;
  apiKey: string;
}): Promise<MemoryGrowthResult> {
  const server = await startServer('claude-express', {
    apiKey: options.apiKey,
    nodeArgs: ['--expose-gc'],
  });
  try {
    const url = `${server.origin}/v1/messages`;
    // Warm the valid path and the 401 path so that JIT and lazily allocated state are in "before".
    await runLoad(options.generator, {
      url,
      connections: options.connections,
      durationS: 2,
      warmupS: 0,
      keys: { kind: 'static', apiKey: server.apiKey },
    });
    await runAutocannon({
      url,
      connections: options.connections,
      durationS: 0,
      amount: 20_000,
      warmupS: 0,
      keys: { kind: 'generate' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // "Before" twice: as the process runs (heap at its working size) and after a full GC.
    const rssBeforeBytes = server.rssBytes() ?? (await benchStats(server.origin)).rss;
    const before = await benchStats(server.origin, true);
    const rssBeforeGcBytes = server.rssBytes() ?? before.rss;
    const load = await runAutocannon({
      url,
      connections: options.connections,
      durationS: 0,
      amount: options.keys,
      warmupS: 0,
      keys: { kind: 'generate' },
    });
    const rssAfterBytes = server.rssBytes() ?? (await benchStats(server.origin)).rss;
    const after = await benchStats(server.origin, true);
    return {
      keys: options.keys,
      requests: load.requests,
      rps: load.rps,
      rssBeforeBytes,
      rssAfterBytes,
      rssBeforeGcBytes,
      rssAfterGcBytes: server.rssBytes() ?? after.rss,
      lookups: after.lookups - before.lookups,
      statuses: load.statuses ?? {},
      targetMb: MEMORY_TARGET_MB,
    };
  } finally {
    await server.stop();
  }
}
