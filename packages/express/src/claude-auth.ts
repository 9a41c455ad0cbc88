import { createAuthenticator, toLazyAuthRequest } from '@claude-auth/core';
import type { RequestHandler } from 'express';
import { setAuthenticator } from './request-state.js';
import { applyAuthResult } from './send-error.js';
import type { ClaudeAuthMiddleware, ClaudeAuthMiddlewareOptions } from './types.js';

/**
 * Express middleware that authenticates every request with the `x-api-key` scheme: it converts
 * the request, asks the core authenticator, sets the response headers (`request-id`, rate limits,
 * `deprecation`) and attaches the caller as `req.claudeAuth`; otherwise it answers with the
 * contract error (status, headers, JSON body). It also drops Express's `x-powered-by` banner.
 * Register it before any body parser.
 *
 * @example
 * ```ts
 * const auth = claudeAuth({ store: new MemoryKeyStore() });
 * app.use(auth);
 * app.get('/v1/models', (req, res) => res.json({ caller: getClaudeAuth(req).keyName }));
 * const { secret } = await auth.authenticator.keys.createKey({ name: 'Production' });
 * ```
 */
export function claudeAuth(options: ClaudeAuthMiddlewareOptions = {}): ClaudeAuthMiddleware {
  const { authenticator: given, requirements, exclude, ...authenticatorOptions } = options;
  const authenticator = given ?? createAuthenticator(authenticatorOptions);

  const middleware: RequestHandler = (req, res, next) => {
    // No framework banner on any response after this middleware, excluded paths included.
    res.removeHeader('x-powered-by');
    setAuthenticator(req, authenticator);
    if (exclude?.(req)) {
      next();
      return;
    }
    authenticator
      .authenticate(toLazyAuthRequest(req, authenticator.options.trustProxy), requirements)
      .then((result) => {
        if (applyAuthResult(req, res, authenticator, result)) next();
      }, next);
  };
  return Object.assign(middleware, { authenticator });
}
