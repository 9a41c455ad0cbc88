/** Micro-benchmark tasks for the contract: header building and error serialization. */
import type { Bench } from 'tinybench';
import { buildHeaders, createAuthError, parseErrorResponse } from '../../src/index.js';

const API_KEY = `cla_api_live_${'A'.repeat(43)}abcdef`;
const ERROR_BODY = JSON.stringify({
  type: 'error',
  error: { type: 'rate_limit_error', message: 'Rate limit exceeded' },
  request_id: 'req_011CQ1',
});

/**
 * Adds the contract rows: `buildHeaders` (plain and with betas/workspace), error serialization
 * (`createAuthError(...).toJSON()` + `JSON.stringify`) and parsing an error response.
 *
 * @example
 * ```ts
 * const bench = new Bench();
 * addContractTasks(bench);
 * await bench.run();
 * ```
 */
export function addContractTasks(bench: Bench): void {
  bench
    .add('buildHeaders (key only)', () => {
      buildHeaders({ apiKey: API_KEY });
    })
    .add('buildHeaders (betas + workspace)', () => {
      buildHeaders({
        apiKey: API_KEY,
        betas: ['prompt-caching-2024-07-31', 'context-1m-2025-08-07'],
        workspaceId: 'wrkspc_01AbCdEfGhIjKlMnOpQrStUv',
      });
    })
    .add('error serialization (createAuthError + toJSON + stringify)', () => {
      JSON.stringify(createAuthError('invalid_api_key', { requestId: 'req_011CQ1' }).toJSON());
    })
    .add('parseErrorResponse (429 JSON body)', () => {
      parseErrorResponse({ status: 429, body: ERROR_BODY, headers: { 'retry-after': '5' } });
    });
}
