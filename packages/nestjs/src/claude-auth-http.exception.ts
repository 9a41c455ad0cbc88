import { HttpException } from '@nestjs/common';
import type { ClaudeAuthError } from '@claude-auth/core';

/**
 * What `ApiKeyGuard` throws when a request is refused: a Nest `HttpException` whose status and
 * response body are the contract's (`{"type":"error","error":{...},"request_id":...}`), so even
 * Nest's default exception handler answers correctly. `error` is the core error, `headers` the
 * response headers the pipeline asked for (`request-id`, `retry-after`, ...).
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

  constructor(error: ClaudeAuthError, headers: Record<string, string> = {}) {
    super(error.toJSON(), error.status, { cause: error });
    this.error = error;
    this.headers = { ...error.headers, ...headers };
  }
}
