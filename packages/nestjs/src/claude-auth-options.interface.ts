import type { Authenticator, AuthenticatorOptions, OutboundOptions } from '@claude-auth/core';

/**
 * Options of `ClaudeAuthModule.forRoot()` (and what `forRootAsync()`'s factory returns): every
 * `AuthenticatorOptions` field of `@claude-auth/core`, or a ready-made `authenticator`.
 *
 * @example
 * ```ts
 * const options: ClaudeAuthModuleOptions = { environment: 'test', versionPolicy: 'reject' };
 * ```
 */
export interface ClaudeAuthModuleOptions extends AuthenticatorOptions {
  /**
   * An authenticator built elsewhere (shared with other adapters, for instance). When given,
   * every other field is ignored and the module does not close it on shutdown unless
   * `closeOnShutdown` is `true`.
   */
  authenticator?: Authenticator;
  /**
   * Close the authenticator (flush `last_used_at`, stop timers) on application shutdown.
   * Default: `true` when the module created the authenticator, `false` for a supplied one.
   */
  closeOnShutdown?: boolean;
  /**
   * How this service calls the Claude API (key, base URL, `anthropic-version`, auth scheme,
   * workspace, betas), for `ClaudeHeadersProvider` and `ClaudeClientModule`. Default `{}`: the key
   * from `ANTHROPIC_API_KEY` or `ANTHROPIC_API_KEY_FILE` (per request), the base URL from
   * `ANTHROPIC_BASE_URL` or `https://api.anthropic.com`, `x-api-key`, version `2023-06-01`.
   * Applies with a supplied `authenticator` too.
   */
  outbound?: OutboundOptions;
}

/**
 * Static extras of `forRoot()` / `forRootAsync()`: known before any factory runs, because they
 * change which providers the module registers.
 *
 * @example
 * ```ts
 * ClaudeAuthModule.forRootAsync({ global: true, isGlobal: true, useFactory: () => ({}) });
 * ```
 */
export interface ClaudeAuthModuleExtras {
  /**
   * Register `ApiKeyGuard` as an `APP_GUARD` (every route needs a key unless `@Public()`) and
   * `ClaudeAuthExceptionFilter` as an `APP_FILTER`. Default `false`.
   */
  global?: boolean;
  /** Make the module's providers visible to every module (Nest's `global`). Default `true`. */
  isGlobal?: boolean;
}

/**
 * The module's options after defaults: what `CLAUDE_AUTH_RESOLVED_OPTIONS` provides.
 *
 * @example
 * ```ts
 * const resolved = resolveClaudeAuthModuleOptions({ environment: 'test' });
 * resolved.closeOnShutdown; // true
 * ```
 */
export interface ResolvedClaudeAuthModuleOptions {
  authenticator: Authenticator;
  closeOnShutdown: boolean;
  /** The `outbound` option as given (`{}` when absent). */
  outbound: OutboundOptions;
}
