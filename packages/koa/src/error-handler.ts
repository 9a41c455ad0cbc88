import { createAuthError, errorResponse, type Authenticator } from '@claude-auth/core';
import type { Middleware } from 'koa';
import { authenticatorOf, claudeAuthOf, sendError } from './context-state.js';

/** Options of {@link claudeAuthErrorHandler}. */
export interface ClaudeAuthErrorHandlerOptions {
  /** Whose vocabulary to use when `claudeAuth()` did not run for a request (default: the spec's). */
  authenticator?: Authenticator;
}

/**
 * Koa middleware that catches every error thrown downstream and answers with the contract: a
 * `ClaudeAuthError` with its own status and body, malformed JSON with 400
 * `invalid_request_error`, a too-large body with 413, anything else with 500 `api_error` (never a
 * stack, never key material). A request nothing answered (unknown route) gets the contract's JSON
 * 404 `not_found_error` after `claudeAuth()` authenticated it. Register it first.
 *
 * @example
 * ```ts
 * app.use(claudeAuthErrorHandler());
 * app.use(claudeAuth({ authenticator }));
 * app.use(router.routes());
 * ```
 */
export function claudeAuthErrorHandler(options: ClaudeAuthErrorHandlerOptions = {}): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      // Nothing answered (no route matched): the contract's JSON 404, not Koa's "Not Found" text.
      // `claudeAuth()` ran before the router, so the caller is already authenticated here.
      if (ctx.status === 404 && ctx.body == null && !ctx.headerSent) {
        const authenticator = options.authenticator ?? authenticatorOf(ctx);
        const requestId = claudeAuthOf(ctx)?.requestId;
        const error = createAuthError('not_found', {
          vocabulary: authenticator?.options.vocabulary ?? 'spec',
        });
        sendError(
          ctx,
          authenticator
            ? authenticator.errorResponse(error, requestId)
            : errorResponse(error, 'spec', requestId),
        );
      }
    } catch (error: unknown) {
      if (ctx.headerSent) throw error;
      const authenticator = options.authenticator ?? authenticatorOf(ctx);
      const vocabulary = authenticator?.options.vocabulary ?? 'spec';
      const sent: unknown = ctx.response.get('request-id');
      const requestId =
        claudeAuthOf(ctx)?.requestId ??
        (typeof sent === 'string' && sent !== '' ? sent : undefined);
      sendError(
        ctx,
        authenticator
          ? authenticator.errorResponse(error, requestId)
          : errorResponse(error, vocabulary, requestId),
      );
    }
  };
}
