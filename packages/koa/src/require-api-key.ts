import { ConfigurationError, type Authenticator, type RouteRequirements } from '@claude-auth/core';
import type { Middleware } from 'koa';
import {
  applyAuthResult,
  authRequestOf,
  authenticatorOf,
  claudeAuthOf,
  setAuthenticator,
} from './context-state.js';

/** Options of {@link requireApiKey}. */
export interface RequireApiKeyOptions {
  /** The authenticator to use when no `claudeAuth()` middleware ran before this route. */
  authenticator?: Authenticator;
}

/**
 * Per-route requirements: permissions, a workspace (fixed or resolved from the request) or admin
 * keys only. After the global `claudeAuth()` it authorizes the caller already attached (the
 * route's workspace is read from the store through the cache and must exist and be active);
 * without it (excluded path, or a route-only setup with `authenticator`) it authenticates.
 *
 * @example
 * ```ts
 * router.post('/v1/files', requireApiKey({ permissions: ['files:write'] }), upload);
 * router.get('/v1/admin/keys', requireApiKey({ admin: true }), listKeys);
 * ```
 */
export function requireApiKey(
  requirements: RouteRequirements = {},
  options: RequireApiKeyOptions = {},
): Middleware {
  return async (ctx, next) => {
    const authenticator = options.authenticator ?? authenticatorOf(ctx);
    if (authenticator === undefined) {
      throw new ConfigurationError(
        'requireApiKey() found no authenticator: register app.use(claudeAuth(...)) before this route, or pass requireApiKey(requirements, { authenticator })',
        { code: 'CLAUDE_AUTH_MIDDLEWARE_MISSING' },
      );
    }
    setAuthenticator(ctx, authenticator);
    const request = authRequestOf(ctx, authenticator);
    const auth = claudeAuthOf(ctx);
    const result =
      auth === undefined
        ? await authenticator.authenticate(request, requirements)
        : await authenticator.authorize(auth, request, requirements);
    if (applyAuthResult(ctx, authenticator, result)) await next();
  };
}
