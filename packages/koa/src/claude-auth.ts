import { createAuthenticator } from '@claude-auth/core';
import type { Middleware } from 'koa';
import { applyAuthResult, authRequestOf, setAuthenticator } from './context-state.js';
import type { ClaudeAuthMiddleware, ClaudeAuthMiddlewareOptions } from './types.js';

/**
 * Koa middleware that authenticates every request with the `x-api-key` scheme: it asks the core
 * authenticator, sets the response headers (`request-id`, rate limits, `deprecation`) and attaches
 * the caller as `ctx.state.claudeAuth`; otherwise it answers with the contract error.
 *
 * @example
 * ```ts
 * const auth = claudeAuth({ store: new MemoryKeyStore() });
 * app.use(auth);
 * app.use((ctx) => { ctx.body = { caller: getClaudeAuth(ctx).keyName }; });
 * const { secret } = await auth.authenticator.keys.createKey({ name: 'Production' });
 * ```
 */
export function claudeAuth(options: ClaudeAuthMiddlewareOptions = {}): ClaudeAuthMiddleware {
  const { authenticator: given, requirements, exclude, ...authenticatorOptions } = options;
  const authenticator = given ?? createAuthenticator(authenticatorOptions);

  const middleware: Middleware = async (ctx, next) => {
    setAuthenticator(ctx, authenticator);
    if (exclude?.(ctx)) return next();
    const result = await authenticator.authenticate(
      authRequestOf(ctx, authenticator),
      requirements,
    );
    if (applyAuthResult(ctx, authenticator, result)) await next();
  };
  return Object.assign(middleware, { authenticator });
}
