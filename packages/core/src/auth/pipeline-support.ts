/** The small pieces every step of the pipeline shares: results, refusals and faults. */
import { createAuthError, type ClaudeAuthError } from '../errors/claude-auth-error.js';
import type { AuthCondition } from '../errors/error-table.js';
import { errorHeaders } from './error-response.js';
import type { AuthResult } from './types.js';

/** Store results may be awaited; everything the pipeline computes itself is synchronous. */
export type Step<T> = T | Promise<T>;

/** Whether a step's value has to be awaited. */
export function isPromise<T>(value: Step<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** A rejection from the key store, spend ledger or (fail-closed) limiter: always a 503. */
export class StoreFault extends Error {
  constructor(cause: unknown) {
    super('claude-auth: backing service unavailable', { cause });
    this.name = 'StoreFault';
  }
}

/** The details `createAuthError` takes. */
export type AuthErrorDetails = Parameters<typeof createAuthError>[1];

/**
 * `createAuthError` without a stack trace, for the pipeline's expected refusals (a bad key, a
 * limit, a version): capturing the stack was most of the cost of a 401 (see
 * `bench/tasks/pipeline-tricks.ts`). Unexpected failures (500/503) keep theirs.
 */
export function expectedError(
  condition: AuthCondition,
  details: AuthErrorDetails,
): ClaudeAuthError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return createAuthError(condition, details);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A failed result carrying its complete response: `headers` (the error's own, `request-id`,
 * `content-type`, `retry-after`, plus `extra` such as rate-limit headers) and the contract body.
 */
export function refusal(
  error: ClaudeAuthError,
  requestId: string,
  extra?: Record<string, string>,
): AuthResult {
  const headers = errorHeaders(error, requestId);
  if (extra !== undefined) for (const name in extra) headers[name] ??= extra[name]!;
  const body = error.toJSON();
  body.request_id = requestId;
  return { ok: false, error, headers, response: { status: error.status, headers, body } };
}
