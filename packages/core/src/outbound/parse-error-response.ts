/** Turning an error response of the Claude API (or a spec-vocabulary service) into a typed error. */
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
  type ErrorDetails,
} from '../errors/claude-auth-error.js';
import { CLAUDE_TYPE_STATUS, type ClaudeErrorType } from '../errors/error-table.js';

/** Response headers as fetch or Node give them. */
export type ResponseHeadersInput =
  Headers | Record<string, string | number | readonly string[] | undefined>;

/** One error response to parse. */
export interface ErrorResponseInput {
  /** The HTTP status. Outside 400-599 (e.g. an error event in a 200 stream) the type decides. */
  status: number;
  /** The body: raw text, already-parsed JSON, bytes, or nothing. */
  body?: string | object | Uint8Array | null;
  /** The response headers; `request-id`, `retry-after-ms`, `retry-after`, `x-should-retry` are read. */
  headers?: ResponseHeadersInput;
  /** Clock for `retry-after` HTTP dates; defaults to `Date.now`. */
  now?: () => number;
}

const MAX_MESSAGE_LENGTH = 1000;

/** Key-shaped substrings scrubbed from upstream messages (Anthropic keys and this library's). */
const SECRET_PATTERNS = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /\b[a-z]{2,8}_(?:api|admin)_[a-z0-9]{1,16}_[A-Za-z0-9]{20,}/g,
];

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  529: 'Overloaded',
};

/**
 * Reads one header from a `Headers` or a plain record, case-insensitively.
 *
 * @example
 * ```ts
 * readHeader({ 'Request-Id': 'req_1' }, 'request-id'); // 'req_1'
 * ```
 */
export function readHeader(
  headers: ResponseHeadersInput | undefined,
  name: string,
): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof Headers !== 'undefined' && headers instanceof Headers)
    return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  const record = headers as Record<string, string | number | readonly string[] | undefined>;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== wanted) continue;
    const value = record[key];
    if (value === undefined) return undefined;
    if (typeof value === 'number') return String(value);
    if (typeof value === 'string') return value;
    return value.length > 0 ? value.join(', ') : undefined;
  }
  return undefined;
}

/**
 * Seconds to wait before retrying, from `retry-after-ms` (preferred: milliseconds) or
 * `retry-after` (seconds, or an HTTP date). `undefined` when absent or unparseable; never negative.
 *
 * @example
 * ```ts
 * parseRetryAfter({ 'retry-after-ms': '1500' }); // 1.5
 * parseRetryAfter({ 'retry-after': '30' }); // 30
 * parseRetryAfter({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, Date.parse('Wed, 21 Oct 2015 07:27:50 GMT')); // 10
 * ```
 */
export function parseRetryAfter(
  headers: ResponseHeadersInput | undefined,
  now: number = Date.now(),
): number | undefined {
  const ms = readHeader(headers, 'retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(?:\.\d+)?$/.test(ms)) return Number(ms) / 1000;
  const value = readHeader(headers, 'retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value);
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function decodeBody(body: ErrorResponseInput['body']): unknown {
  if (body === undefined || body === null) return undefined;
  let text: string;
  if (body instanceof Uint8Array) text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  else if (typeof body === 'string') text = body;
  else return body;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed[0] !== '{' && trimmed[0] !== '[') return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The error type, message and request id found in a body, whatever its shape. */
function readBody(json: unknown): { type?: string; message?: string; requestId?: string } {
  if (!isRecord(json)) return {};
  const requestId = nonEmptyString(json.request_id) ?? nonEmptyString(json.requestId);
  const inner = json.error;
  if (isRecord(inner)) {
    return {
      type: nonEmptyString(inner.type) ?? nonEmptyString(inner.code),
      message: nonEmptyString(inner.message),
      requestId,
    };
  }
  if (typeof inner === 'string') {
    // `{ "error": "..." }` from proxies and other APIs: a message, or a type-like token.
    const looksLikeType = /^[a-z]+(?:_[a-z]+)+$/.test(inner);
    return {
      type: looksLikeType ? inner : undefined,
      message: looksLikeType ? nonEmptyString(json.message) : inner,
      requestId,
    };
  }
  const type = json.type !== 'error' ? nonEmptyString(json.type) : undefined;
  return { type, message: nonEmptyString(json.message) ?? nonEmptyString(json.detail), requestId };
}

function scrub(message: string): string {
  let out = message;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '[REDACTED]');
  return out.length > MAX_MESSAGE_LENGTH ? `${out.slice(0, MAX_MESSAGE_LENGTH)}…` : out;
}

function fallbackMessage(status: number, hadBody: boolean): string {
  const reason = REASONS[status];
  const label = reason === undefined ? `HTTP ${status}` : `HTTP ${status} ${reason}`;
  return hadBody
    ? `${label} (the response body was not a JSON error)`
    : `${label} (empty response body)`;
}

/** The Claude API type that a bare status means. */
function typeForStatus(status: number): ClaudeErrorType {
  switch (status) {
    case 400:
    case 415:
    case 422:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 408:
    case 504:
      return 'timeout_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
  }
}

/** Sets a readonly field of a freshly built error (the subclasses fix status/type). */
function override(error: ClaudeAuthError, field: 'status' | 'type', value: number | string): void {
  Object.defineProperty(error, field, {
    value,
    enumerable: true,
    writable: false,
    configurable: true,
  });
}

function build(
  type: string,
  status: number,
  message: string,
  details: ErrorDetails,
): ClaudeAuthError {
  switch (type) {
    case 'authentication_error':
      return new AuthenticationError(message, details);
    case 'invalid_api_key':
      return new InvalidApiKeyError(message, details);
    case 'invalid_request_error':
      return new InvalidRequestError(message, { ...details, status: status === 415 ? 415 : 400 });
    case 'access_denied':
    case 'permission_error':
      return new PermissionDeniedError(message, { ...details, type });
    case 'not_found_error':
      return new NotFoundError(message, details);
    case 'request_too_large':
      return new RequestTooLargeError(message, details);
    case 'rate_limit_exceeded':
    case 'rate_limit_error':
      return new RateLimitError(message, { ...details, type });
    case 'billing_error':
      return new BillingError(message, details);
    case 'overloaded_error':
      return new OverloadedError(message, details);
    case 'timeout_error':
    case 'api_error':
      return new ApiError(message, { ...details, status, type });
    default:
      return build(typeForStatus(status), status, message, details);
  }
}

const KNOWN_TYPES = new Set<string>([
  ...Object.keys(CLAUDE_TYPE_STATUS),
  'invalid_api_key',
  'access_denied',
  'rate_limit_exceeded',
]);

/** The status a known type stands for when the response status cannot be trusted. */
function statusForType(type: string | undefined): number {
  if (type === undefined || !KNOWN_TYPES.has(type)) return 500;
  if (type === 'invalid_api_key') return 401;
  if (type === 'access_denied') return 403;
  if (type === 'rate_limit_exceeded') return 429;
  return CLAUDE_TYPE_STATUS[type as ClaudeErrorType];
}

/**
 * Parses an error response into the matching typed {@link ClaudeAuthError} subclass. Understands
 * both vocabularies (the spec's `invalid_api_key`, `access_denied`, `rate_limit_exceeded`, … and
 * the Claude API's `authentication_error`, `permission_error`, `overloaded_error`, …); an unknown
 * type keeps its string and picks the class by status; a body that is not a JSON error (an HTML
 * page from a proxy, nothing, truncated JSON) yields an error from the status alone. It never
 * throws. The result keeps the HTTP status (`status`), `request-id` (header, else body
 * `request_id`), `retryAfter` in seconds (`retry-after-ms` or `retry-after`), and
 * `x-should-retry` in `headers`. Key-shaped strings in upstream messages are replaced by
 * `[REDACTED]`.
 *
 * @example
 * ```ts
 * const res = await fetch(url, init);
 * if (!res.ok) throw parseErrorResponse({ status: res.status, body: await res.text(), headers: res.headers });
 * ```
 */
export function parseErrorResponse(input: ErrorResponseInput): ClaudeAuthError {
  const json = decodeBody(input.body);
  const found = readBody(json);
  const hadBody =
    input.body !== undefined &&
    input.body !== null &&
    !(typeof input.body === 'string' && input.body.trim() === '') &&
    !(input.body instanceof Uint8Array && input.body.length === 0);

  const status =
    Number.isInteger(input.status) && input.status >= 400 && input.status <= 599
      ? input.status
      : statusForType(found.type);
  const message = scrub(found.message ?? fallbackMessage(status, hadBody));

  const details: ErrorDetails = {};
  const requestId = nonEmptyString(readHeader(input.headers, 'request-id')) ?? found.requestId;
  if (requestId !== undefined) details.requestId = requestId.trim();
  const retryAfter = parseRetryAfter(input.headers, input.now?.() ?? Date.now());
  if (retryAfter !== undefined) details.retryAfter = retryAfter;
  const shouldRetry = readHeader(input.headers, 'x-should-retry')?.trim().toLowerCase();
  if (shouldRetry === 'true' || shouldRetry === 'false')
    details.headers = { 'x-should-retry': shouldRetry };

  const error = build(found.type ?? '', status, message, details);
  if (error.status !== status) override(error, 'status', status);
  if (found.type !== undefined && error.type !== found.type) override(error, 'type', found.type);
  return error;
}
