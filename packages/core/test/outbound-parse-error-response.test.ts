import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BillingError,
  type ClaudeAuthError,
  InvalidApiKeyError,
  InvalidRequestError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  parseErrorResponse,
  type ErrorResponseInput,
} from '@claude-auth/core';
import { parseRetryAfter } from '../src/outbound/parse-error-response.js';

type ErrorClass = abstract new (...args: never[]) => ClaudeAuthError;

interface Row {
  name: string;
  input: ErrorResponseInput;
  cls: ErrorClass;
  status: number;
  type: string;
  message: string | RegExp;
  requestId?: string;
  retryAfter?: number;
}

const claudeBody = (type: string, message: string, requestId?: string): string =>
  JSON.stringify({
    type: 'error',
    error: { type, message },
    ...(requestId ? { request_id: requestId } : {}),
  });

const NOW = Date.parse('2025-01-01T00:00:00Z');

const rows: Row[] = [
  {
    name: 'Claude 401 authentication_error (bad key)',
    input: {
      status: 401,
      body: claudeBody('authentication_error', 'invalid x-api-key'),
      headers: { 'request-id': 'req_011CQ1', 'content-type': 'application/json' },
    },
    cls: AuthenticationError,
    status: 401,
    type: 'authentication_error',
    message: 'invalid x-api-key',
    requestId: 'req_011CQ1',
  },
  {
    name: 'spec 401 invalid_api_key with request_id only in the body',
    input: { status: 401, body: claudeBody('invalid_api_key', 'Invalid API key', 'req_body1') },
    cls: InvalidApiKeyError,
    status: 401,
    type: 'invalid_api_key',
    message: 'Invalid API key',
    requestId: 'req_body1',
  },
  {
    name: 'spec 403 access_denied',
    input: {
      status: 403,
      body: claudeBody('access_denied', 'no permission'),
      headers: new Headers({ 'Request-Id': 'req_h' }),
    },
    cls: PermissionDeniedError,
    status: 403,
    type: 'access_denied',
    message: 'no permission',
    requestId: 'req_h',
  },
  {
    name: 'Claude 403 permission_error',
    input: {
      status: 403,
      body: claudeBody(
        'permission_error',
        'Your API key does not have permission to use the specified resource.',
      ),
    },
    cls: PermissionDeniedError,
    status: 403,
    type: 'permission_error',
    message: /does not have permission/,
  },
  {
    name: 'Claude 400 invalid_request_error (bad model params)',
    input: { status: 400, body: claudeBody('invalid_request_error', 'max_tokens: Field required') },
    cls: InvalidRequestError,
    status: 400,
    type: 'invalid_request_error',
    message: 'max_tokens: Field required',
  },
  {
    name: 'spec 415 invalid_request_error',
    input: {
      status: 415,
      body: claudeBody('invalid_request_error', 'content-type must be application/json'),
    },
    cls: InvalidRequestError,
    status: 415,
    type: 'invalid_request_error',
    message: 'content-type must be application/json',
  },
  {
    name: 'Claude 402 billing_error',
    input: {
      status: 402,
      body: claudeBody(
        'billing_error',
        'Your credit balance is too low to access the Anthropic API.',
      ),
    },
    cls: BillingError,
    status: 402,
    type: 'billing_error',
    message: /credit balance/,
  },
  {
    name: 'Claude 404 not_found_error',
    input: { status: 404, body: claudeBody('not_found_error', 'model: claude-nonexistent') },
    cls: NotFoundError,
    status: 404,
    type: 'not_found_error',
    message: 'model: claude-nonexistent',
  },
  {
    name: 'Claude 413 request_too_large (from Cloudflare front, plain JSON)',
    input: {
      status: 413,
      body: claudeBody('request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
    },
    cls: RequestTooLargeError,
    status: 413,
    type: 'request_too_large',
    message: /maximum allowed/,
  },
  {
    name: 'Claude 429 rate_limit_error with retry-after seconds',
    input: {
      status: 429,
      body: claudeBody(
        'rate_limit_error',
        'Number of request tokens has exceeded your per-minute rate limit',
      ),
      headers: {
        'retry-after': '17',
        'request-id': 'req_rl',
        'anthropic-ratelimit-requests-remaining': '0',
      },
    },
    cls: RateLimitError,
    status: 429,
    type: 'rate_limit_error',
    message: /per-minute rate limit/,
    requestId: 'req_rl',
    retryAfter: 17,
  },
  {
    name: 'spec 429 rate_limit_exceeded with retry-after-ms preferred over retry-after',
    input: {
      status: 429,
      body: claudeBody('rate_limit_exceeded', 'Rate limit exceeded', 'req_x'),
      headers: { 'Retry-After': '2', 'Retry-After-Ms': '1250' },
    },
    cls: RateLimitError,
    status: 429,
    type: 'rate_limit_exceeded',
    message: 'Rate limit exceeded',
    requestId: 'req_x',
    retryAfter: 1.25,
  },
  {
    name: 'spend limit 429 with an HTTP-date retry-after',
    input: {
      status: 429,
      body: claudeBody('rate_limit_exceeded', 'Workspace spend limit reached for this month'),
      headers: { 'retry-after': 'Wed, 01 Jan 2025 00:01:30 GMT', 'x-should-retry': 'false' },
      now: () => NOW,
    },
    cls: RateLimitError,
    status: 429,
    type: 'rate_limit_exceeded',
    message: /spend limit/,
    retryAfter: 90,
  },
  {
    name: 'Claude 500 api_error',
    input: { status: 500, body: claudeBody('api_error', 'Internal server error') },
    cls: ApiError,
    status: 500,
    type: 'api_error',
    message: 'Internal server error',
  },
  {
    name: 'Claude 529 overloaded_error',
    input: {
      status: 529,
      body: claudeBody('overloaded_error', 'Overloaded'),
      headers: { 'x-should-retry': 'true' },
    },
    cls: OverloadedError,
    status: 529,
    type: 'overloaded_error',
    message: 'Overloaded',
  },
  {
    name: 'Claude 504 timeout_error',
    input: { status: 504, body: claudeBody('timeout_error', 'Request timed out') },
    cls: ApiError,
    status: 504,
    type: 'timeout_error',
    message: 'Request timed out',
  },
  {
    name: 'overloaded_error as an SSE error event inside a 200 stream',
    input: {
      status: 200,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    },
    cls: OverloadedError,
    status: 529,
    type: 'overloaded_error',
    message: 'Overloaded',
  },
  {
    name: '502 HTML page from nginx',
    input: {
      status: 502,
      body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
      headers: { 'content-type': 'text/html' },
    },
    cls: ApiError,
    status: 502,
    type: 'api_error',
    message: 'HTTP 502 Bad Gateway (the response body was not a JSON error)',
  },
  {
    name: '503 empty body from a load balancer',
    input: { status: 503, body: '' },
    cls: ApiError,
    status: 503,
    type: 'api_error',
    message: 'HTTP 503 Service Unavailable (empty response body)',
  },
  {
    name: '429 with no body at all and a retry-after',
    input: { status: 429, headers: { 'retry-after': '0' } },
    cls: RateLimitError,
    status: 429,
    type: 'rate_limit_error',
    message: 'HTTP 429 Too Many Requests (empty response body)',
    retryAfter: 0,
  },
  {
    name: 'truncated JSON',
    input: { status: 500, body: '{"type":"error","error":{"type":"api_er' },
    cls: ApiError,
    status: 500,
    type: 'api_error',
    message: /HTTP 500 Internal Server Error \(the response body was not a JSON error\)/,
  },
  {
    name: 'unknown error type keeps its string, class by status',
    input: {
      status: 403,
      body: claudeBody('organization_disabled_error', 'This organization has been disabled.'),
    },
    cls: PermissionDeniedError,
    status: 403,
    type: 'organization_disabled_error',
    message: 'This organization has been disabled.',
  },
  {
    name: 'proxy JSON of another shape: { error: "message" }',
    input: { status: 401, body: { error: 'Unauthorized: missing token' } },
    cls: AuthenticationError,
    status: 401,
    type: 'authentication_error',
    message: 'Unauthorized: missing token',
  },
  {
    name: 'API gateway { message } body on 403',
    input: { status: 403, body: '{"message":"Forbidden"}' },
    cls: PermissionDeniedError,
    status: 403,
    type: 'permission_error',
    message: 'Forbidden',
  },
  {
    name: '408 from a proxy, bytes body',
    input: { status: 408, body: new TextEncoder().encode('Request Timeout') },
    cls: ApiError,
    status: 408,
    type: 'timeout_error',
    message: 'HTTP 408 Request Timeout (the response body was not a JSON error)',
  },
  {
    name: '409 conflict without type',
    input: { status: 409, body: '{}' },
    cls: InvalidRequestError,
    status: 409,
    type: 'invalid_request_error',
    message: 'HTTP 409 Conflict (the response body was not a JSON error)',
  },
  {
    name: 'status mismatch: the HTTP status wins (rate_limit_error on 503)',
    input: { status: 503, body: claudeBody('rate_limit_error', 'slow down') },
    cls: RateLimitError,
    status: 503,
    type: 'rate_limit_error',
    message: 'slow down',
  },
];

describe('parseErrorResponse', () => {
  it('has at least 15 distinct real-world rows', () => {
    expect(new Set(rows.map((r) => r.name)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(rows)('$name', ({ input, cls, status, type, message, requestId, retryAfter }) => {
    const error = parseErrorResponse(input);
    expect(error).toBeInstanceOf(cls);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.requestId).toBe(requestId);
    expect(error.retryAfter).toBe(retryAfter);
    expect(error.toJSON()).toStrictEqual({
      type: 'error',
      error: { type, message: error.message },
      ...(requestId === undefined ? {} : { request_id: requestId }),
    });
  });

  it('keeps x-should-retry in headers', () => {
    expect(
      parseErrorResponse({ status: 429, headers: { 'X-Should-Retry': 'false' } }).headers,
    ).toStrictEqual({
      'x-should-retry': 'false',
    });
  });

  it('scrubs key-shaped strings from upstream messages and clips long ones', () => {
    const leaked = parseErrorResponse({
      status: 401,
      body: claudeBody(
        'authentication_error',
        'bad key sk-ant-api03-AAAAAAAAAAAAAAAAAAAA and cla_api_live_abcdefghijklmnopqrstuvwxyz0123',
      ),
    });
    expect(leaked.message).toBe('bad key [REDACTED] and [REDACTED]');
    const long = parseErrorResponse({
      status: 400,
      body: claudeBody('invalid_request_error', 'x'.repeat(5000)),
    });
    expect(long.message.length).toBeLessThanOrEqual(1001);
  });

  it.each<[string, ErrorResponseInput['body']]>([
    ['a JSON array', '[1,2,3]'],
    ['a number string', '42'],
    ['null', null],
    ['a huge HTML page', `<html>${'a'.repeat(100_000)}</html>`],
    ['binary garbage', new Uint8Array([0xff, 0xfe, 0x00, 0x7b])],
    ['an object with a non-string message', { error: { type: 5, message: { nested: true } } }],
  ])('never throws on %s', (_name, body) => {
    const error = parseErrorResponse({ status: 500, body });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(500);
  });

  it('uses the type status when the HTTP status is not an error status', () => {
    expect(parseErrorResponse({ status: 0, body: claudeBody('invalid_api_key', 'x') }).status).toBe(
      401,
    );
    expect(parseErrorResponse({ status: Number.NaN }).status).toBe(500);
  });
});

describe('parseRetryAfter', () => {
  it.each<[string, Record<string, string>, number | undefined]>([
    ['ms', { 'retry-after-ms': '250' }, 0.25],
    ['fractional ms', { 'retry-after-ms': '1.5' }, 0.0015],
    ['seconds', { 'retry-after': '3' }, 3],
    ['date in the past clamps to 0', { 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, 0],
    ['date in the future', { 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }, 10],
    ['negative ignored', { 'retry-after': '-5' }, undefined],
    ['garbage ignored', { 'retry-after': 'soon' }, undefined],
    ['bad ms falls back to seconds', { 'retry-after-ms': 'x', 'retry-after': '4' }, 4],
    ['absent', {}, undefined],
  ])('%s', (_name, headers, expected) => {
    expect(parseRetryAfter(headers, NOW)).toBe(expected);
  });
});
