import type { Authenticator, ClaudeAuth } from '@claude-auth/core';
import type { Request } from 'express';

/** Shared across copies of this package, so a bundled duplicate still finds it. */
const AUTHENTICATOR = Symbol.for('claude-auth.express.authenticator');

interface AuthState {
  claudeAuth?: ClaudeAuth;
  [AUTHENTICATOR]?: Authenticator;
}

/**
 * Remembers which authenticator handled `req`, for `requireApiKey()` and the error handler. A
 * plain assignment (a symbol key: invisible to `Object.keys`, `for...in` and `JSON.stringify`);
 * `Object.defineProperty` on every request cost more than the rest of the adapter.
 */
export function setAuthenticator(req: Request, authenticator: Authenticator): void {
  (req as Request & AuthState)[AUTHENTICATOR] = authenticator;
}

/** The authenticator `claudeAuth()` registered on `req`, if any. */
export function authenticatorOf(req: Request): Authenticator | undefined {
  return (req as Request & AuthState)[AUTHENTICATOR];
}

/** The caller `claudeAuth()` or `requireApiKey()` attached to `req`, if any. */
export function claudeAuthOf(req: Request): ClaudeAuth | undefined {
  return (req as Request & AuthState).claudeAuth;
}

/** Attaches the authenticated caller as `req.claudeAuth`. */
export function setClaudeAuth(req: Request, auth: ClaudeAuth): void {
  (req as Request & AuthState).claudeAuth = auth;
}
