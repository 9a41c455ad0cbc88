import { describe, expect, it, vi } from 'vitest';
import {
  AUTH_CONDITIONS,
  ApiConnectionError,
  ApiError,
  ApiTimeoutError,
  AuthenticationError,
  ClaudeAuthError,
  ConfigurationError,
  InvalidApiKeyError,
  InvalidRequestError,
  NotFoundError,
  MissingApiKeyError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  createAuthError,
  isClaudeAuthError,
  type AuthCondition,
  type ErrorVocabulary,
} from '@claude-auth/core';

type Row = [
  AuthCondition,
  ErrorVocabulary,
  number,
  string,
  abstract new (...args: never[]) => ClaudeAuthError,
];

// Written out by hand from the DESIGN.md table, so a change to AUTH_CONDITIONS must change this too.
const rows: Row[] = [
  ['missing_api_key', 'spec', 401, 'authentication_error', AuthenticationError],
  ['missing_api_key', 'claude', 401, 'authentication_error', AuthenticationError],
  ['invalid_api_key', 'spec', 401, 'invalid_api_key', InvalidApiKeyError],
  ['invalid_api_key', 'claude', 401, 'authentication_error', AuthenticationError],
  ['key_in_query', 'spec', 401, 'authentication_error', AuthenticationError],
  ['key_in_query', 'claude', 401, 'authentication_error', AuthenticationError],
  ['invalid_version', 'spec', 400, 'invalid_request_error', InvalidRequestError],
  ['invalid_version', 'claude', 400, 'invalid_request_error', InvalidRequestError],
  ['deprecated_version', 'spec', 400, 'invalid_request_error', InvalidRequestError],
  ['deprecated_version', 'claude', 400, 'invalid_request_error', InvalidRequestError],
  ['unsupported_media_type', 'spec', 415, 'invalid_request_error', InvalidRequestError],
  ['unsupported_media_type', 'claude', 415, 'invalid_request_error', InvalidRequestError],
  ['invalid_body', 'spec', 400, 'invalid_request_error', InvalidRequestError],
  ['invalid_body', 'claude', 400, 'invalid_request_error', InvalidRequestError],
  ['request_too_large', 'spec', 413, 'invalid_request_error', ClaudeAuthError],
  ['request_too_large', 'claude', 413, 'request_too_large', RequestTooLargeError],
  ['access_denied', 'spec', 403, 'access_denied', PermissionDeniedError],
  ['access_denied', 'claude', 403, 'permission_error', PermissionDeniedError],
  ['rate_limited', 'spec', 429, 'rate_limit_exceeded', RateLimitError],
  ['rate_limited', 'claude', 429, 'rate_limit_error', RateLimitError],
  ['spend_limited', 'spec', 429, 'rate_limit_exceeded', RateLimitError],
  ['spend_limited', 'claude', 429, 'rate_limit_error', RateLimitError],
  ['not_found', 'spec', 404, 'not_found_error', NotFoundError],
  ['not_found', 'claude', 404, 'not_found_error', NotFoundError],
  ['store_unavailable', 'spec', 503, 'api_error', ApiError],
  ['store_unavailable', 'claude', 503, 'api_error', ApiError],
  ['internal', 'spec', 500, 'api_error', ApiError],
  ['internal', 'claude', 500, 'api_error', ApiError],
];

describe('createAuthError over every AUTH_CONDITIONS row', () => {
  it('the table covers every condition in both vocabularies', () => {
    const covered = new Set(rows.map(([c, v]) => `${c}/${v}`));
    for (const condition of Object.keys(AUTH_CONDITIONS)) {
      expect(covered.has(`${condition}/spec`)).toBe(true);
      expect(covered.has(`${condition}/claude`)).toBe(true);
    }
    expect(covered.size).toBe(Object.keys(AUTH_CONDITIONS).length * 2);
  });

  it.each(rows)('%s (%s) → %i %s', (condition, vocabulary, status, type, cls) => {
    const error = createAuthError(condition, { vocabulary, requestId: 'req_table' });
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(ClaudeAuthError);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.condition).toBe(condition);
    expect(error.message).toBe(AUTH_CONDITIONS[condition].message);
    expect(error.toJSON()).toStrictEqual({
      type: 'error',
      error: { type, message: AUTH_CONDITIONS[condition].message },
      request_id: 'req_table',
    });
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual(error.toJSON());
    expect(Object.keys(error.toJSON())).toStrictEqual(['type', 'error', 'request_id']);
  });

  it.each(rows.filter(([, v]) => v === 'spec'))(
    '%s without a request id omits request_id',
    (condition) => {
      const body = createAuthError(condition).toJSON();
      expect(body).not.toHaveProperty('request_id');
      expect(Object.keys(body)).toStrictEqual(['type', 'error']);
    },
  );

  it('defaults to the spec vocabulary and accepts a custom message', () => {
    expect(createAuthError('invalid_api_key').type).toBe('invalid_api_key');
    expect(
      createAuthError('rate_limited', { message: 'Per-key limit: 10 rpm' }).toJSON().error.message,
    ).toBe('Per-key limit: 10 rpm');
  });

  it('one identical body for every bad-key reason', () => {
    const bodies = ['malformed', 'revoked', 'expired', 'unknown'].map(() =>
      JSON.stringify(createAuthError('invalid_api_key', { requestId: 'r' })),
    );
    expect(new Set(bodies).size).toBe(1);
  });
});

describe('isClaudeAuthError', () => {
  it('recognises an error from another copy of the package, where instanceof fails', async () => {
    vi.resetModules();
    const copy = await import('../src/errors/claude-auth-error.js');
    expect(copy.ClaudeAuthError).not.toBe(ClaudeAuthError);
    const foreign = new copy.RateLimitError('slow down');
    expect(foreign instanceof ClaudeAuthError).toBe(false);
    expect(isClaudeAuthError(foreign)).toBe(true);
    expect(copy.isClaudeAuthError(createAuthError('internal'))).toBe(true);
  });

  it.each<[string, unknown, boolean]>([
    ['a ClaudeAuthError', new ClaudeAuthError(418, 'teapot', 'x'), true],
    ['an outbound connection error', new ApiConnectionError(), true],
    ['an outbound timeout error', new ApiTimeoutError(), true],
    ['a plain Error', new Error('x'), false],
    ['a ConfigurationError', new ConfigurationError('x'), false],
    ['a MissingApiKeyError', new MissingApiKeyError(['ANTHROPIC_API_KEY']), false],
    ['a look-alike object', { status: 401, type: 'authentication_error', message: 'x' }, false],
    ['null', null, false],
    ['a string', 'error', false],
  ])('%s → %s', (_name, value, expected) => {
    expect(isClaudeAuthError(value)).toBe(expected);
  });
});

describe('outbound connection errors', () => {
  it.each([
    [new ApiConnectionError(), 502, 'api_error'],
    [new ApiTimeoutError(), 504, 'timeout_error'],
  ])('%s has a valid contract status and body', (error, status, type) => {
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.toJSON()).toStrictEqual({
      type: 'error',
      error: { type, message: error.message },
    });
  });

  it('a timeout is a connection error', () => {
    expect(new ApiTimeoutError()).toBeInstanceOf(ApiConnectionError);
    expect(new ApiTimeoutError().name).toBe('ApiTimeoutError');
  });
});
