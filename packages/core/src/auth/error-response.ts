import {
  createAuthError,
  isClaudeAuthError,
  type ClaudeAuthError,
  type ErrorBody,
} from '../errors/claude-auth-error.js';
import { fromBodyError } from '../errors/body-error.js';
import { AUTH_CONDITIONS, type ErrorVocabulary } from '../errors/error-table.js';
import { newRequestId } from './request-id.js';

/** An HTTP error response, ready to send. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

const UNAVAILABLE_CODES = new Set([
  'CLAUDE_AUTH_STORE_UNAVAILABLE',
  'CLAUDE_AUTH_LIMITER_UNAVAILABLE',
]);

/** True for `StoreUnavailableError` / `LimiterUnavailableError`, even from another bundle copy. */
export function isUnavailableError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    UNAVAILABLE_CODES.has((error as { code?: unknown }).code as string)
  );
}

/**
 * The contract error for any thrown value, in `vocabulary`: a `ClaudeAuthError` keeps its status
 * and message (its type is translated when it came from a pipeline condition); store and limiter
 * outages become 503 `api_error`; body-parser errors their 400/413/415 (see `fromBodyError`);
 * anything else a 500 `api_error` with a generic message, never a stack or the original message.
 *
 * @example
 * ```ts
 * toContractError(new StoreUnavailableError(), 'spec').status; // 503
 * ```
 */
export function toContractError(error: unknown, vocabulary: ErrorVocabulary): ClaudeAuthError {
  if (isClaudeAuthError(error)) {
    const condition = error.condition;
    if (condition === undefined) return error;
    const row = AUTH_CONDITIONS[condition];
    if ((vocabulary === 'claude' ? row.claude : row.spec) === error.type) return error;
    const details: Parameters<typeof createAuthError>[1] = {
      vocabulary,
      message: error.message,
      headers: { ...error.headers },
    };
    if (error.requestId !== undefined) details.requestId = error.requestId;
    if (error.retryAfter !== undefined) details.retryAfter = error.retryAfter;
    return createAuthError(condition, details);
  }
  if (isUnavailableError(error))
    return createAuthError('store_unavailable', { vocabulary, cause: error });
  return (
    fromBodyError(error, vocabulary) ?? createAuthError('internal', { vocabulary, cause: error })
  );
}

/**
 * The headers every error response carries: `request-id`, `content-type: application/json`, the
 * error's own (e.g. `x-should-retry`) and `retry-after` when the error has one.
 *
 * @example
 * ```ts
 * errorHeaders(err, 'req_123'); // { 'request-id': 'req_123', 'content-type': 'application/json', ... }
 * ```
 */
export function errorHeaders(error: ClaudeAuthError, requestId: string): Record<string, string> {
  const headers: Record<string, string> = {
    'request-id': requestId,
    'content-type': 'application/json',
  };
  for (const name in error.headers) headers[name] = error.headers[name]!;
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  return headers;
}

/**
 * Maps any thrown value to a complete error response (see {@link toContractError}), with the
 * request id from the argument, else the error, else a new one.
 *
 * @example
 * ```ts
 * const { status, headers, body } = errorResponse(err, 'spec', req.id);
 * res.writeHead(status, headers).end(JSON.stringify(body));
 * ```
 */
export function errorResponse(
  error: unknown,
  vocabulary: ErrorVocabulary,
  requestId?: string,
): ErrorResponse {
  const contract = toContractError(error, vocabulary);
  const id = requestId ?? contract.requestId ?? newRequestId();
  const body = contract.toJSON();
  body.request_id = id;
  return { status: contract.status, headers: errorHeaders(contract, id), body };
}
