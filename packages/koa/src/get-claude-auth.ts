import { ConfigurationError, type ClaudeAuth } from '@claude-auth/core';
import type { Context } from 'koa';
import { claudeAuthOf } from './context-state.js';

/**
 * The authenticated caller of `ctx` (`ctx.state.claudeAuth`). Throws a `ConfigurationError`
 * naming the fix when neither `claudeAuth()` nor `requireApiKey()` ran for this request.
 *
 * @example
 * ```ts
 * router.get('/v1/models', (ctx) => {
 *   ctx.body = { caller: getClaudeAuth(ctx).keyName };
 * });
 * ```
 */
export function getClaudeAuth(ctx: Context): ClaudeAuth {
  const auth = claudeAuthOf(ctx);
  if (auth === undefined) {
    throw new ConfigurationError(
      `getClaudeAuth() found no authenticated caller on ${ctx.method} ${ctx.path}: register app.use(claudeAuth(...)) before this route (or add requireApiKey() to it), and make sure the route is not excluded`,
      { code: 'CLAUDE_AUTH_MIDDLEWARE_MISSING' },
    );
  }
  return auth;
}
