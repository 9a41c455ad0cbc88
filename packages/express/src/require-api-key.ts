import {
  ConfigurationError,
  toLazyAuthRequest,
  type Authenticator,
  type RouteRequirements,
} from '@claude-auth/core';
import type { RequestHandler } from 'express';
import { authenticatorOf, claudeAuthOf, setAuthenticator } from './request-state.js';
import { applyAuthResult } from './send-error.js';

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
 * app.post('/v1/files', requireApiKey({ permissions: ['files:write'] }), upload);
 * app.get('/v1/admin/keys', requireApiKey({ admin: true }), listKeys);
 * app.get('/v1/workspaces/:id/usage', requireApiKey({ workspace: (r) => r.url.split('/')[3] }), usage);
 * ```
 */
export function requireApiKey(
  requirements: RouteRequirements = {},
  options: RequireApiKeyOptions = {},
): RequestHandler {
  return (req, res, next) => {
    const authenticator = options.authenticator ?? authenticatorOf(req);
    if (authenticator === undefined) {
      next(
        new ConfigurationError(
          'requireApiKey() found no authenticator: register app.use(claudeAuth(...)) before this route, or pass requireApiKey(requirements, { authenticator })',
          { code: 'CLAUDE_AUTH_MIDDLEWARE_MISSING' },
        ),
      );
      return;
    }
    setAuthenticator(req, authenticator);
    const request = toLazyAuthRequest(req, authenticator.options.trustProxy);
    const auth = claudeAuthOf(req);
    const pending =
      auth === undefined
        ? authenticator.authenticate(request, requirements)
        : authenticator.authorize(auth, request, requirements);
    pending.then((result) => {
      if (applyAuthResult(req, res, authenticator, result)) next();
    }, next);
  };
}
