import type {
  Authenticator,
  AuthenticatorOptions,
  ClaudeAuth,
  RouteRequirements,
} from '@claude-auth/core';
import type { Request, RequestHandler } from 'express';

/** Options every form of {@link ClaudeAuthMiddlewareOptions} shares. */
export interface ClaudeAuthCommonOptions {
  /** Requirements every request through this middleware must meet (routes can add more). */
  requirements?: RouteRequirements;
  /** Requests for which authentication is skipped (health checks, public routes). */
  exclude?: (req: Request) => boolean;
}

/**
 * Options of `claudeAuth()`: either a ready `authenticator` (shared with other middleware or
 * services), or the options to build one. The two forms are mutually exclusive.
 */
export type ClaudeAuthMiddlewareOptions = ClaudeAuthCommonOptions &
  (
    | (AuthenticatorOptions & { authenticator?: undefined })
    | ({ authenticator: Authenticator } & { [K in keyof AuthenticatorOptions]?: never })
  );

/** The middleware `claudeAuth()` returns, with the authenticator it uses. */
export type ClaudeAuthMiddleware = RequestHandler & {
  /** The authenticator behind the middleware: `keys` manages keys, `close()` releases it. */
  readonly authenticator: Authenticator;
};

/**
 * An Express request after `claudeAuth()` accepted it. Use it to type handlers, or add the
 * global augmentation from the README to type every `Request`.
 *
 * @example
 * ```ts
 * app.get('/v1/models', (req, res) => {
 *   res.json({ caller: (req as ClaudeAuthRequest).claudeAuth.keyName });
 * });
 * ```
 */
export type ClaudeAuthRequest = Request & { claudeAuth: ClaudeAuth };
