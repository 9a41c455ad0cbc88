import {
  AUTH_CONDITIONS,
  type AuthCondition,
  type ErrorType,
  type ErrorVocabulary,
} from './error-table.js';

const BRAND = Symbol.for('claude-auth.error');

/** The JSON body of every error response. */
export interface ErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id?: string;
}

/** Optional details every HTTP error may carry. */
export interface ErrorDetails {
  /** The `request-id` of the response this error belongs to. */
  requestId?: string;
  /** Seconds the caller should wait before retrying (`retry-after`). */
  retryAfter?: number;
  /** The inbound condition that produced this error, when it came from the pipeline. */
  condition?: AuthCondition;
  /** Extra response headers this error must be sent with (e.g. `x-should-retry`). */
  headers?: Record<string, string>;
  /** The underlying cause, never sent to clients. */
  cause?: unknown;
}

/**
 * Base class of every HTTP error in claude-auth: a status, an error `type`, a message that never
 * contains key material, and `toJSON()` producing the contract body.
 *
 * @example
 * ```ts
 * const err = new InvalidApiKeyError('Invalid API key', { requestId: 'req_123' });
 * res.status(err.status).json(err); // {"type":"error","error":{...},"request_id":"req_123"}
 * ```
 */
export class ClaudeAuthError extends Error {
  readonly status: number;
  readonly type: ErrorType | (string & {});
  requestId: string | undefined;
  readonly retryAfter: number | undefined;
  readonly condition: AuthCondition | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, type: string, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = status;
    this.type = type;
    this.requestId = details.requestId;
    this.retryAfter = details.retryAfter;
    this.condition = details.condition;
    this.headers = details.headers ?? {};
  }

  /** The contract body: `{"type":"error","error":{"type","message"}}` plus `request_id` when known. */
  toJSON(): ErrorBody {
    const body: ErrorBody = { type: 'error', error: { type: this.type, message: this.message } };
    if (this.requestId !== undefined) body.request_id = this.requestId;
    return body;
  }
}

// The brand lives on the prototype (non-enumerable, like before): defining it on every instance
// cost as much as the rest of the constructor.
Object.defineProperty(ClaudeAuthError.prototype, BRAND, { value: true });

/** 401 `authentication_error`: no key, or a key sent somewhere other than the header. */
export class AuthenticationError extends ClaudeAuthError {
  constructor(message = 'Authentication failed', details?: ErrorDetails) {
    super(401, 'authentication_error', message, details);
  }
}

/** 401 `invalid_api_key` (spec vocabulary): one identical body for every bad key. */
export class InvalidApiKeyError extends ClaudeAuthError {
  constructor(message = 'Invalid API key', details?: ErrorDetails) {
    super(401, 'invalid_api_key', message, details);
  }
}

/** 400 (or 415) `invalid_request_error`. */
export class InvalidRequestError extends ClaudeAuthError {
  constructor(message = 'Invalid request', details?: ErrorDetails & { status?: number }) {
    super(details?.status ?? 400, 'invalid_request_error', message, details);
  }
}

/** 402 `billing_error` (Claude API). */
export class BillingError extends ClaudeAuthError {
  constructor(message = 'Billing error', details?: ErrorDetails) {
    super(402, 'billing_error', message, details);
  }
}

/** 403 `access_denied` (spec) or `permission_error` (Claude API). */
export class PermissionDeniedError extends ClaudeAuthError {
  constructor(
    message = 'Permission denied',
    details?: ErrorDetails & { type?: 'access_denied' | 'permission_error' },
  ) {
    super(403, details?.type ?? 'access_denied', message, details);
  }
}

/** 404 `not_found_error` (both vocabularies): an unknown route, after authentication. */
export class NotFoundError extends ClaudeAuthError {
  constructor(message = 'Not found', details?: ErrorDetails) {
    super(404, 'not_found_error', message, details);
  }
}

/** 413 `request_too_large` (Claude API). */
export class RequestTooLargeError extends ClaudeAuthError {
  constructor(message = 'Request too large', details?: ErrorDetails) {
    super(413, 'request_too_large', message, details);
  }
}

/** 429 `rate_limit_exceeded` (spec) or `rate_limit_error` (Claude API). */
export class RateLimitError extends ClaudeAuthError {
  constructor(
    message = 'Rate limit exceeded',
    details?: ErrorDetails & { type?: 'rate_limit_exceeded' | 'rate_limit_error' },
  ) {
    super(429, details?.type ?? 'rate_limit_exceeded', message, details);
  }
}

/** 500 or 503 `api_error`; 504 `timeout_error`; 529 `overloaded_error`. */
export class ApiError extends ClaudeAuthError {
  constructor(
    message = 'Internal server error',
    details?: ErrorDetails & {
      status?: number;
      type?: 'api_error' | 'timeout_error' | 'overloaded_error';
    },
  ) {
    super(details?.status ?? 500, details?.type ?? 'api_error', message, details);
  }
}

/** 529 `overloaded_error` (Claude API). */
export class OverloadedError extends ClaudeAuthError {
  constructor(message = 'Overloaded', details?: ErrorDetails) {
    super(529, 'overloaded_error', message, details);
  }
}

/**
 * True for any claude-auth HTTP error, even one thrown by another copy of this package
 * (the check uses a global symbol, not `instanceof`).
 *
 * @example
 * ```ts
 * try { await client.messages(body) } catch (e) { if (isClaudeAuthError(e)) log(e.status, e.type) }
 * ```
 */
export function isClaudeAuthError(value: unknown): value is ClaudeAuthError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

/**
 * The typed error for one inbound condition, in the chosen vocabulary.
 *
 * @example
 * ```ts
 * const err = createAuthError('invalid_api_key', { vocabulary: 'claude', requestId });
 * err.status; // 401
 * err.type;   // 'authentication_error'
 * ```
 */
export function createAuthError(
  condition: AuthCondition,
  options: ErrorDetails & { vocabulary?: ErrorVocabulary; message?: string } = {},
): ClaudeAuthError {
  const row = AUTH_CONDITIONS[condition];
  const type = options.vocabulary === 'claude' ? row.claude : row.spec;
  const message = options.message ?? row.message;
  // Every field spelled out: an object spread here cost more than the rest of a 401 (V8 cannot
  // keep one shape for `{ ...options }` across the callers), and this runs on every refusal.
  const details: ErrorDetails & { status: number; type: string | undefined } = {
    requestId: options.requestId,
    retryAfter: options.retryAfter,
    condition,
    headers: options.headers,
    cause: options.cause,
    status: row.status,
    type: undefined,
  };
  switch (type) {
    case 'authentication_error':
      return new AuthenticationError(message, details);
    case 'invalid_api_key':
      return new InvalidApiKeyError(message, details);
    case 'invalid_request_error':
      return row.status === 413
        ? new ClaudeAuthError(413, type, message, details)
        : new InvalidRequestError(message, details);
    case 'request_too_large':
      return new RequestTooLargeError(message, details);
    case 'access_denied':
    case 'permission_error':
      details.type = type;
      return new PermissionDeniedError(message, details as ErrorDetails & { type: typeof type });
    case 'rate_limit_exceeded':
    case 'rate_limit_error':
      details.type = type;
      return new RateLimitError(message, details as ErrorDetails & { type: typeof type });
    case 'not_found_error':
      return new NotFoundError(message, details);
    case 'api_error':
      return new ApiError(message, details as ErrorDetails & { status: number });
  }
}

/**
 * Thrown (never returned) for configuration mistakes: a bad option, a malformed config file,
 * an invalid header value given to `buildHeaders`. Messages never contain key material.
 */
export class ConfigurationError extends Error {
  /** A stable machine-readable code, e.g. `CLAUDE_AUTH_INVALID_OPTION`. */
  readonly code: string;
  /** The option or config field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(message: string, options: { code?: string; field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'CLAUDE_AUTH_CONFIGURATION';
    this.field = options.field;
  }
}

/** Thrown by `resolveApiKey` when no source yields a key; the message lists every place looked. */
export class MissingApiKeyError extends ConfigurationError {
  /** Where the resolver looked, in order. */
  readonly searched: readonly string[];

  constructor(searched: readonly string[]) {
    super(`No API key found. Looked in: ${searched.join(', ')}.`, {
      code: 'CLAUDE_AUTH_MISSING_API_KEY',
    });
    this.searched = searched;
  }
}
