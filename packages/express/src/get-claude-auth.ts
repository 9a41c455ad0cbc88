import { ConfigurationError, type ClaudeAuth } from '@claude-auth/core';
import type { Request } from 'express';
import { claudeAuthOf } from './request-state.js';

/**
 * The authenticated caller of `req`: key id, name, hint, workspace, permissions, version and the
 * response's `request-id`. Throws a `ConfigurationError` naming the fix when neither
 * `claudeAuth()` nor `requireApiKey()` ran for this request.
 *
 * @example
 * ```ts
 * app.get('/v1/models', (req, res) => {
 *   const { keyName, workspaceId } = getClaudeAuth(req);
 *   res.json({ keyName, workspaceId });
 * });
 * ```
 */
export function getClaudeAuth(req: Request): ClaudeAuth {
  const auth = claudeAuthOf(req);
  if (auth === undefined) {
    throw new ConfigurationError(
      `getClaudeAuth() found no authenticated caller on ${req.method} ${req.path}: register app.use(claudeAuth(...)) before this route (or add requireApiKey() to it), and make sure the route is not excluded`,
      { code: 'CLAUDE_AUTH_MIDDLEWARE_MISSING' },
    );
  }
  return auth;
}
