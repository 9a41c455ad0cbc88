import {
  InvalidRequestError,
  RateLimitError,
  StoreUnavailableError,
  type ErrorVocabulary,
} from '@claude-auth/core';
import { expect, it } from 'vitest';

/** What an adapter's error handler sent for one thrown value. */
export interface ErrorHandlerResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Serves one route that throws `error()` behind the adapter's error handler, and calls it. */
export type RespondWithError = (
  error: () => unknown,
  vocabulary: ErrorVocabulary,
) => Promise<ErrorHandlerResponse>;

/** A key-shaped string that must never reach a response. */
export const ERROR_HANDLER_SECRET = 'cla_api_live_SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET';
const parseError = () =>
  Object.assign(new SyntaxError(`Unexpected token in ${ERROR_HANDLER_SECRET}`), {
    status: 400,
    type: 'entity.parse.failed',
    body: ERROR_HANDLER_SECRET,
  });
const tooLarge = () =>
  Object.assign(new Error('request entity too large'), {
    status: 413,
    statusCode: 413,
    type: 'entity.too.large',
  });

/** One thrown value and the contract response it must produce. */
export interface ErrorHandlerCase {
  name: string;
  error: () => unknown;
  vocabulary: ErrorVocabulary;
  status: number;
  type: string;
  message?: string;
}

/** Every error an adapter's error handler must translate, in both vocabularies. */
export const ERROR_HANDLER_CASES: ErrorHandlerCase[] = [
  {
    name: 'ClaudeAuthError keeps its status and type',
    error: () => new RateLimitError('Slow down', { retryAfter: 7 }),
    vocabulary: 'spec',
    status: 429,
    type: 'rate_limit_exceeded',
    message: 'Slow down',
  },
  {
    name: '415 InvalidRequestError',
    error: () => new InvalidRequestError('content-type must be application/json', { status: 415 }),
    vocabulary: 'claude',
    status: 415,
    type: 'invalid_request_error',
    message: 'content-type must be application/json',
  },
  {
    name: 'malformed JSON body (spec)',
    error: parseError,
    vocabulary: 'spec',
    status: 400,
    type: 'invalid_request_error',
    message: 'Request body is not valid JSON',
  },
  {
    name: 'malformed JSON body (claude)',
    error: parseError,
    vocabulary: 'claude',
    status: 400,
    type: 'invalid_request_error',
    message: 'Request body is not valid JSON',
  },
  {
    name: 'body too large (spec)',
    error: tooLarge,
    vocabulary: 'spec',
    status: 413,
    type: 'invalid_request_error',
    message: 'Request body is too large',
  },
  {
    name: 'body too large (claude)',
    error: tooLarge,
    vocabulary: 'claude',
    status: 413,
    type: 'request_too_large',
    message: 'Request body is too large',
  },
  {
    name: 'store unavailable',
    error: () => new StoreUnavailableError(),
    vocabulary: 'spec',
    status: 503,
    type: 'api_error',
  },
  {
    name: 'plain Error holding a key',
    error: () => new Error(`db said ${ERROR_HANDLER_SECRET}`),
    vocabulary: 'spec',
    status: 500,
    type: 'api_error',
  },
  {
    name: 'thrown string',
    error: () => 'oops',
    vocabulary: 'claude',
    status: 500,
    type: 'api_error',
  },
];

/**
 * Runs {@link ERROR_HANDLER_CASES} against an adapter's error handler: status, contract body,
 * `request-id`, `retry-after`, no key material and no stack in the response.
 *
 * @example
 * ```ts
 * describe('claudeAuthErrorHandler', () => runErrorHandlerCases(respond));
 * ```
 */
export function runErrorHandlerCases(respond: RespondWithError): void {
  it.each(ERROR_HANDLER_CASES)('$name', async ({ error, vocabulary, status, type, message }) => {
    const res = await respond(error, vocabulary);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = JSON.parse(res.text) as {
      type: string;
      error: { type: string; message: string };
      request_id: string;
    };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe(type);
    if (message !== undefined) expect(body.error.message).toBe(message);
    expect(body.request_id).toBe(res.headers.get('request-id'));
    expect(res.text).not.toContain(ERROR_HANDLER_SECRET);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    if (status === 429) expect(res.headers.get('retry-after')).toBe('7');
  });
}
