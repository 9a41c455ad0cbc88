import type {
  Authenticator,
  AuthenticatorOptions,
  ClaudeAuth,
  RouteRequirements,
} from '@claude-auth/core';
import type { Context, Middleware } from 'koa';

/** Options every form of {@link ClaudeAuthMiddlewareOptions} shares. */
export interface ClaudeAuthCommonOptions {
  /** Requirements every request through this middleware must meet (routes can add more). */
  requirements?: RouteRequirements;
  /** Requests for which authentication is skipped (health checks, public routes). */
  exclude?: (ctx: Context) => boolean;
}

/**
 * Options of `claudeAuth()`: either a ready `authenticator`, or the options to build one. The two
 * forms are mutually exclusive.
 */
export type ClaudeAuthMiddlewareOptions = ClaudeAuthCommonOptions &
  (
    | (AuthenticatorOptions & { authenticator?: undefined })
    | ({ authenticator: Authenticator } & { [K in keyof AuthenticatorOptions]?: never })
  );

/**
 * The state `claudeAuth()` adds to `ctx.state`. Type your app or router with it.
 *
 * @example
 * ```ts
 * const app = new Koa<ClaudeAuthState>();
 * app.use(claudeAuth({ authenticator }));
 * app.use((ctx) => { ctx.body = { caller: ctx.state.claudeAuth.keyName }; });
 * ```
 */
export interface ClaudeAuthState {
  claudeAuth: ClaudeAuth;
}

/** The middleware `claudeAuth()` returns, with the authenticator it uses. */
export type ClaudeAuthMiddleware = Middleware & {
  /** The authenticator behind the middleware: `keys` manages keys, `close()` releases it. */
  readonly authenticator: Authenticator;
};
