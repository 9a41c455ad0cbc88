import { createAuthenticator } from '@claude-auth/core';
import type {
  ClaudeAuthModuleOptions,
  ResolvedClaudeAuthModuleOptions,
} from './claude-auth-options.interface.js';

/**
 * Resolves module options once: uses the supplied authenticator or creates one from the
 * `AuthenticatorOptions` fields (core validates them and throws `ConfigurationError` on a mistake).
 *
 * @example
 * ```ts
 * const { authenticator, closeOnShutdown } = resolveClaudeAuthModuleOptions({ environment: 'test' });
 * ```
 */
export function resolveClaudeAuthModuleOptions(
  options: ClaudeAuthModuleOptions = {},
): ResolvedClaudeAuthModuleOptions {
  const { authenticator, closeOnShutdown, ...authenticatorOptions } = options;
  const resolved = {
    authenticator: authenticator ?? createAuthenticator(authenticatorOptions),
    closeOnShutdown: closeOnShutdown ?? authenticator === undefined,
  } satisfies Required<ResolvedClaudeAuthModuleOptions>;
  return resolved;
}
