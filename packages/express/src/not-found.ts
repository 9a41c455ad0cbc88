import {
  ConfigurationError,
  createAuthError,
  toLazyAuthRequest,
  type Authenticator,
} from '@claude-auth/core';
import type { RequestHandler } from 'express';
import { authenticatorOf, claudeAuthOf } from './request-state.js';
import { applyAuthResult, sendError } from './send-error.js';

/** Options of {@link claudeAuthNotFound}. */
export interface ClaudeAuthNotFoundOptions {
  /** The authenticator to use when no `claudeAuth()` middleware ran for the request. */
  authenticator?: Authenticator;
}

/**
 * Express handler for routes nothing else answered: authenticates first (an unknown route reveals
 * nothing to a caller without a valid key: 401 like any other route), then answers the contract's
 * JSON 404 `not_found_error` with the request's `request-id`, instead of Express's HTML page.
 * Register it after your routes, before the error handler.
 *
 * @example
 * ```ts
 * app.use(claudeAuth({ authenticator }));
 * app.get('/v1/models', listModels);
 * app.use(claudeAuthNotFound());
 * app.use(claudeAuthErrorHandler());
 * ```
 */
export function claudeAuthNotFound(options: ClaudeAuthNotFoundOptions = {}): RequestHandler {
  return (req, res, next) => {
    const authenticator = options.authenticator ?? authenticatorOf(req);
    if (authenticator === undefined) {
      next(
        new ConfigurationError(
          'claudeAuthNotFound() found no authenticator: register app.use(claudeAuth(...)) first, or pass claudeAuthNotFound({ authenticator })',
          { code: 'CLAUDE_AUTH_MIDDLEWARE_MISSING' },
        ),
      );
      return;
    }
    const notFound = (requestId: string): void => {
      const error = createAuthError('not_found', {
        vocabulary: authenticator.options.vocabulary,
        requestId,
      });
      sendError(res, authenticator.errorResponse(error, requestId));
    };
    const auth = claudeAuthOf(req);
    if (auth !== undefined) {
      notFound(auth.requestId);
      return;
    }
    // Excluded from `claudeAuth()` (or none ran): authenticate before saying anything.
    authenticator
      .authenticate(toLazyAuthRequest(req, authenticator.options.trustProxy))
      .then((result) => {
        if (applyAuthResult(req, res, authenticator, result) && result.ok)
          notFound(result.auth.requestId);
      }, next);
  };
}
