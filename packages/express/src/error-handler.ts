import { errorResponse, type Authenticator } from '@claude-auth/core';
import type { ErrorRequestHandler } from 'express';
import { authenticatorOf, claudeAuthOf } from './request-state.js';
import { sendError } from './send-error.js';

/** Options of {@link claudeAuthErrorHandler}. */
export interface ClaudeAuthErrorHandlerOptions {
  /** Whose vocabulary to use when `claudeAuth()` did not run for a request (default: the spec's). */
  authenticator?: Authenticator;
}

/**
 * Express error handler that answers every error with the contract: a `ClaudeAuthError` with its
 * own status and body, malformed JSON from `express.json()` with 400 `invalid_request_error`, a
 * too-large body with 413, anything else with 500 `api_error` (never a stack, never key material).
 * Register it after your routes.
 *
 * @example
 * ```ts
 * app.use(claudeAuth({ authenticator }));
 * app.use(express.json());
 * app.post('/v1/messages', handler);
 * app.use(claudeAuthErrorHandler());
 * ```
 */
export function claudeAuthErrorHandler(
  options: ClaudeAuthErrorHandlerOptions = {},
): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const authenticator = options.authenticator ?? authenticatorOf(req);
    const vocabulary = authenticator?.options.vocabulary ?? 'spec';
    const sent = res.getHeader('request-id');
    const requestId = claudeAuthOf(req)?.requestId ?? (typeof sent === 'string' ? sent : undefined);
    sendError(
      res,
      authenticator
        ? authenticator.errorResponse(error, requestId)
        : errorResponse(error, vocabulary, requestId),
    );
  };
}
