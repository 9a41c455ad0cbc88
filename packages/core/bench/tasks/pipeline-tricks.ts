/**
 * A/B rows for the pipeline's speed tricks: each trick kept in `src/auth` has a row with it
 * ("kept") and one without it ("A"), run side by side by `bench/ab.ts`.
 *
 * - stack-trace suppression (`expectedError`): a contract refusal built with and without
 *   `Error.stackTraceLimit = 0`;
 * - the synchronous path for `MemoryRateLimiter` (and the sync-or-promise step chain it relies
 *   on): `authenticate()` of a valid, cached key with the limiter as configured, and with the
 *   same limiter behind a plain `RateLimiter` object (promises at every limit step).
 */
import type { Bench } from 'tinybench';
import {
  MemoryKeyStore,
  MemoryRateLimiter,
  createAuthError,
  createAuthenticator,
  type AuthRequest,
  type Authenticator,
  type RateLimiter,
} from '../../src/index.js';
import { expectedError } from '../../src/auth/pipeline-support.js';

const silent = { warn() {}, error() {} };

function authenticatorWith(rateLimiter: RateLimiter): Authenticator {
  return createAuthenticator({
    store: new MemoryKeyStore(),
    rateLimiter,
    rateLimit: { key: { rpm: 1e9 } },
    logger: silent,
  });
}

/**
 * Adds the A/B rows of the pipeline's speed tricks.
 *
 * @example
 * ```ts
 * const bench = new Bench();
 * await addPipelineTrickTasks(bench);
 * await bench.run();
 * ```
 */
export async function addPipelineTrickTasks(bench: Bench, aFirst = false): Promise<void> {
  const pair = (kept: [string, () => unknown], without: [string, () => unknown]): void => {
    for (const [name, fn] of aFirst ? [without, kept] : [kept, without]) bench.add(name, fn);
  };
  const details = { vocabulary: 'spec' as const, requestId: 'req_011CQ1' };
  pair(
    ['refusal error, stack suppressed (kept)', () => expectedError('invalid_api_key', details)],
    ['refusal error, with stack (A)', () => createAuthError('invalid_api_key', details)],
  );

  const memory = new MemoryRateLimiter();
  const sync = authenticatorWith(memory);
  const asyncOnly = authenticatorWith({ consume: (k, r, c) => memory.consume(k, r, c) });
  const requests: AuthRequest[] = [];
  for (const auth of [sync, asyncOnly]) {
    const { secret } = await auth.keys.createKey({ name: 'bench' });
    requests.push({
      method: 'POST',
      url: '/v1/messages',
      headers: {
        'x-api-key': secret,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
        'content-length': '2',
      },
    });
  }
  pair(
    ['authenticate 200, MemoryRateLimiter sync path (kept)', () => sync.authenticate(requests[0]!)],
    ['authenticate 200, limiter behind a promise (A)', () => asyncOnly.authenticate(requests[1]!)],
  );
}
