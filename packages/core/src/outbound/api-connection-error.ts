/** Errors of the outbound client when no HTTP response arrived. */
import { ClaudeAuthError, type ErrorDetails } from '../errors/claude-auth-error.js';

/**
 * The upstream could not be reached (DNS, refused, reset, TLS) after every retry. It is a
 * {@link ClaudeAuthError} with status 502 and type `api_error`, so a gateway that lets it
 * propagate answers its own client with a valid contract body (502 Bad Gateway).
 *
 * @example
 * ```ts
 * try { await client.messages.create(body) } catch (e) {
 *   if (e instanceof ApiConnectionError) console.warn('upstream unreachable', e.cause);
 * }
 * ```
 */
export class ApiConnectionError extends ClaudeAuthError {
  constructor(
    message = 'Connection error: the upstream API could not be reached',
    details?: ErrorDetails,
  ) {
    super(502, 'api_error', message, details);
  }
}

/**
 * The upstream did not answer within `timeoutMs` (after every retry). Status 504, type
 * `timeout_error`; a subclass of {@link ApiConnectionError}.
 *
 * @example
 * ```ts
 * const client = createClaudeClient({ timeoutMs: 30_000 });
 * await client.messages.create(body).catch((e) => { if (e instanceof ApiTimeoutError) retryLater() });
 * ```
 */
export class ApiTimeoutError extends ApiConnectionError {
  constructor(message = 'Request timed out', details?: ErrorDetails) {
    super(message, details);
    Object.defineProperty(this, 'status', {
      value: 504,
      enumerable: true,
      writable: false,
      configurable: true,
    });
    Object.defineProperty(this, 'type', {
      value: 'timeout_error',
      enumerable: true,
      writable: false,
      configurable: true,
    });
  }
}
