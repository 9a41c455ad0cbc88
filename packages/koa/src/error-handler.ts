import { createAuthenticator, type Authenticator } from '@claude-auth/core';
import type { Middleware } from 'koa';
import { fromBodyParserError } from './body-parser-error.js';
import { authenticatorOf, claudeAuthOf, sendError } from './context-state.js';

/** Options of {@link claudeAuthErrorHandler}. */
export interface ClaudeAuthErrorHandlerOptions {
  /** Whose vocabulary and request ids to use when `claudeAuth()` did not run for a request. */
  authenticator?: Authenticator;
}

let fallback: Authenticator | undefined;

/**
 * Koa middleware that catches every error thrown downstream and answers with the contract: a
 * `ClaudeAuthError` with its own status and body, malformed JSON with 400
 * `invalid_request_error`, a too-large body with 413, anything else with 500 `api_error` (never a
 * stack, never key material). Register it first.
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
    } catch (error: unknown) {
      if (ctx.headerSent) throw error;
      const authenticator =
        options.authenticator ?? authenticatorOf(ctx) ?? (fallback ??= createAuthenticator({ cache: false }));
      const mapped = fromBodyParserError(error, authenticator.options.vocabulary) ?? error;
      const sent = ctx.response.get('request-id');
      const requestId = claudeAuthOf(ctx)?.requestId ?? (sent === '' ? undefined : sent);
      sendError(ctx, authenticator.errorResponse(mapped, requestId));
    }
  };
}
