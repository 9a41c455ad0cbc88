import { createAuthenticator } from '@claude-auth/core';
import type {
  ClaudeAuthModuleOptions,
  ResolvedClaudeAuthModuleOptions,
} from './claude-auth-options.interface.js';

/**
 * Resolves module options once: uses the supplied authenticator or creates one from the
 * `AuthenticatorOptions` fields (core validates them and throws `ConfigurationError` on a mistake),
 * and keeps the `outbound` options.
 *
 * @example
 * ```ts
 * const { authenticator, closeOnShutdown } = resolveClaudeAuthModuleOptions({ environment: 'test' });
 * ```
 */
export function resolveClaudeAuthModuleOptions(
  options: ClaudeAuthModuleOptions = {},
): ResolvedClaudeAuthModuleOptions {
  const { authenticator, closeOnShutdown, outbound, ...authenticatorOptions } = options;
  const resolved = {
    authenticator: authenticator ?? createAuthenticator(authenticatorOptions),
    closeOnShutdown: closeOnShutdown ?? authenticator === undefined,
    outbound: { ...outbound },
  } satisfies Required<ResolvedClaudeAuthModuleOptions>;
  return resolved;
}
