import { HttpException } from '@nestjs/common';
import type { ClaudeAuthError, ErrorResponse } from '@claude-auth/core';

/**
 * What `ApiKeyGuard` throws when a request is refused: a Nest `HttpException` whose status and
 * response body are the contract's (`{"type":"error","error":{...},"request_id":...}`), so even
 * Nest's default exception handler answers correctly. `error` is the core error, `headers` the
 * response headers the pipeline asked for (`request-id`, `retry-after`, ...), `ready` the
 * complete response a refused `AuthResult` carried (written as is by `ClaudeAuthExceptionFilter`).
 *
 * @example
 * ```ts
 * try { await guard.canActivate(context) } catch (e) {
 *   if (e instanceof ClaudeAuthHttpException) console.log(e.getStatus(), e.error.type);
 * }
 * ```
 */
export class ClaudeAuthHttpException extends HttpException {
  /** The core error (status, type, message, request id). */
  readonly error: ClaudeAuthError;
  /** Headers to send with the error response. */
  readonly headers: Readonly<Record<string, string>>;
  /** The ready response of a refused `AuthResult` (status, every header, body), when given. */
  readonly ready: ErrorResponse | undefined;

  constructor(
    error: ClaudeAuthError,
    headers: Record<string, string> = {},
    response?: ErrorResponse,
  ) {
    super(response?.body ?? error.toJSON(), error.status, { cause: error });
    this.error = error;
    this.headers = { ...error.headers, ...headers };
    this.ready = response;
  }
}
