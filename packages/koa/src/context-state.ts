import {
  toLazyAuthRequest,
  type AuthRequest,
  type Authenticator,
  type AuthResult,
  type ClaudeAuth,
  type ErrorResponse,
} from '@claude-auth/core';
import type { Context } from 'koa';

/** Shared across copies of this package, so a bundled duplicate still finds it. */
const AUTHENTICATOR = Symbol.for('claude-auth.koa.authenticator');

interface AuthState {
  claudeAuth?: ClaudeAuth;
  [AUTHENTICATOR]?: Authenticator;
}

const stateOf = (ctx: Context): AuthState => ctx.state;

/** Remembers which authenticator handled `ctx`, for `requireApiKey()` and the error handler. */
export function setAuthenticator(ctx: Context, authenticator: Authenticator): void {
  // A plain assignment (a symbol key: invisible to `Object.keys` and `JSON.stringify`):
  // `Object.defineProperty` on every request is measurably slower.
  stateOf(ctx)[AUTHENTICATOR] = authenticator;
}

/** The authenticator `claudeAuth()` registered on `ctx`, if any. */
export function authenticatorOf(ctx: Context): Authenticator | undefined {
  return stateOf(ctx)[AUTHENTICATOR];
}

/** The caller attached as `ctx.state.claudeAuth`, if any. */
export function claudeAuthOf(ctx: Context): ClaudeAuth | undefined {
  return stateOf(ctx).claudeAuth;
}

/** The framework-free request the core reads (client address per the authenticator's `trustProxy`). */
export function authRequestOf(ctx: Context, authenticator: Authenticator): AuthRequest {
  return toLazyAuthRequest(ctx.request, authenticator.options.trustProxy);
}

/** Writes a contract error exactly as the core built it (status, headers, JSON body). */
export function sendError(
  ctx: Context,
  response: ErrorResponse,
  extra: Record<string, string> = {},
): void {
  ctx.status = response.status;
  ctx.body = JSON.stringify(response.body);
  ctx.set({ ...extra, ...response.headers });
}

/**
 * Applies one `AuthResult`: on success sets its headers, attaches `ctx.state.claudeAuth` and
 * returns true; on failure writes the contract error and returns false.
 */
export function applyAuthResult(
  ctx: Context,
  authenticator: Authenticator,
  result: AuthResult,
): boolean {
  if (!result.ok) {
    sendError(
      ctx,
      authenticator.errorResponse(result.error, result.headers['request-id']),
      result.headers,
    );
    return false;
  }
  // What `ctx.set(headers)` does (the response has not started here), without its per-header
  // checks and recursion.
  const headers = result.headers;
  const res = ctx.res;
  for (const name in headers) res.setHeader(name, headers[name]!);
  stateOf(ctx).claudeAuth = result.auth;
  return true;
}
