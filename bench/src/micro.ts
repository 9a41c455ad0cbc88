/**
 * Pipeline micro-benchmarks (tinybench): key parse + checksum, hash, cache hit, full
 * `authenticate()` for a cached valid key (target < 5 µs), the invalid-key path and error
 * serialization. Imports the built `@claude-auth/core`.
 *
 * Each task runs its operation {@link BATCH} times per sample so the timer's own cost does not
 * dominate sub-microsecond operations. Run alone: `node --import tsx src/micro.ts` (prints a
 * table); the harness passes `--json` and reads `BENCH_RESULT <json>`.
 */
import {
  InvalidApiKeyError,
  VerificationCache,
  createAuthenticator,
  generateApiKey,
  hashKey,
  parseApiKey,
  type AuthRequest,
} from '@claude-auth/core';
import { Bench } from 'tinybench';
import type { MicroResult } from './results.js';

/** Operations per tinybench sample. */
export const BATCH = 200;
/** The bound for `authenticate()` of a cached valid key. */
export const AUTHENTICATE_TARGET_NS = 5000;

function request(apiKey: string): AuthRequest {
  return {
    method: 'POST',
    url: '/v1/messages',
    ip: '127.0.0.1',
    headers: {
      host: '127.0.0.1',
      'x-api-key': apiKey,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
      'content-length': '82',
    },
  };
}

const authenticator = createAuthenticator({
  rateLimit: { key: { rpm: 10_000_000 } },
  failedAuth: { maxPerMinute: 1_000_000 },
});
const { secret } = await authenticator.keys.createKey({ name: 'micro' });
const validRequest = request(secret);
const badChecksum = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
const badRequest = request(badChecksum);
const warm = await authenticator.authenticate(validRequest);
if (!warm.ok) throw new Error(`the micro-benchmark key was refused: ${warm.error.type}`);

const hash = hashKey(secret);
const cache = new VerificationCache();
const record = await authenticator.options.store.findKeyByHash(hash);
cache.set(hash, record);
const otherKey = generateApiKey();

const bench = new Bench({ time: Number(process.env.BENCH_MICRO_MS ?? 700), warmupTime: 200 });
let sink: unknown;
bench
  .add('parseApiKey (format + CRC-32), valid key', () => {
    for (let i = 0; i < BATCH; i++) sink = parseApiKey(secret);
  })
  .add('parseApiKey, bad checksum', () => {
    for (let i = 0; i < BATCH; i++) sink = parseApiKey(badChecksum);
  })
  .add('hashKey (SHA-256 hex)', () => {
    for (let i = 0; i < BATCH; i++) sink = hashKey(i & 1 ? secret : otherKey);
  })
  .add('VerificationCache hit', () => {
    for (let i = 0; i < BATCH; i++) sink = cache.get(hash);
  })
  .add('authenticate(), cached valid key', async () => {
    for (let i = 0; i < BATCH; i++) sink = await authenticator.authenticate(validRequest);
  })
  .add('authenticate(), bad-checksum key', async () => {
    for (let i = 0; i < BATCH; i++) sink = await authenticator.authenticate(badRequest);
  })
  .add('errorResponse() + JSON.stringify (invalid_api_key)', () => {
    for (let i = 0; i < BATCH; i++) {
      const response = authenticator.errorResponse(new InvalidApiKeyError());
      sink = JSON.stringify(response.body);
    }
  });

await bench.run();
void sink;
await authenticator.close();

const results: MicroResult[] = bench.tasks.map((task) => {
  const result = task.result;
  if (!result || result.error)
    throw new Error(`${task.name}: ${String(result?.error ?? 'no result')}`);
  return {
    name: task.name,
    meanNs: (result.latency.mean * 1e6) / BATCH,
    p99Ns: ((result.latency.p99 ?? Number.NaN) * 1e6) / BATCH,
    opsPerSecond: result.throughput.mean * BATCH,
    samples: result.latency.samples.length,
    ...(task.name.startsWith('authenticate(), cached') ? { targetNs: AUTHENTICATE_TARGET_NS } : {}),
  };
});

if (process.argv.includes('--json')) {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(results)}\n`);
} else {
  console.table(
    results.map((r) => ({
      operation: r.name,
      'mean ns': Math.round(r.meanNs),
      'p99 ns': Math.round(r.p99Ns),
      'ops/s': Math.round(r.opsPerSecond),
      target: r.targetNs ? `< ${r.targetNs} ns` : '',
    })),
  );
}
