/**
 * The autocannon load generator, run as its own process (pinned to the generator core) so that it
 * never shares an event loop or a core with the server. Reads a {@link LoadSpec} as JSON from
 * argv[2]; prints `BENCH_RESULT <LoadResult JSON>` on stdout.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { REQUEST_BODY, REQUEST_HEADERS, type LoadResult, type LoadSpec } from './load-types.js';

const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;

async function nextKeyFunction(): Promise<(() => string) | null> {
  const source = spec.keys;
  if (source.kind === 'static') return null;
  if (source.kind === 'file') {
    const keys = readFileSync(source.path, 'utf8').split('\n').filter(Boolean);
    let index = 0;
    return () => keys[index++ % keys.length]!;
  }
  const { generateApiKey } = await import('@claude-auth/core');
  return () => generateApiKey();
}

async function run(
  nextKey: (() => string) | null,
  options: { durationS?: number; amount?: number },
): Promise<autocannon.Result> {
  const headers: Record<string, string> = { ...REQUEST_HEADERS };
  if (spec.keys.kind === 'static') headers['x-api-key'] = spec.keys.apiKey;
  return autocannon({
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    ...(options.amount !== undefined
      ? { amount: options.amount }
      : { duration: options.durationS ?? 1 }),
    timeout: 5,
    headers,
    body: REQUEST_BODY,
    ...(nextKey
      ? {
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, 'x-api-key': nextKey() },
              }),
            },
          ],
        }
      : {}),
  });
}

const nextKey = await nextKeyFunction();
if (spec.warmupS > 0) await run(nextKey, { durationS: spec.warmupS });
const result = await run(
  nextKey,
  spec.amount !== undefined ? { amount: spec.amount } : { durationS: spec.durationS },
);

const statuses: Record<string, number> = {};
for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
  statuses[code] = stat.count ?? 0;
}
const report: LoadResult = {
  generator: 'autocannon',
  requests: result.requests.total,
  durationS: result.duration,
  rps: result.requests.total / result.duration,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  maxMs: result.latency.max,
  non2xx: result.non2xx,
  errors: result.errors,
  statuses,
};
process.stdout.write(`BENCH_RESULT ${JSON.stringify(report)}\n`);
