import type { FailedAuthLimiter } from './failed-auth-limiter.js';
import type { VerificationCache } from './verification-cache.js';

/** What tests and benchmarks may look at inside an authenticator; not part of the public API. */
export interface AuthenticatorInternals {
  /** The verification cache (`null` when disabled), for its `stats()`. */
  cache: VerificationCache | null;
  /** The failed-attempts limiter (`null` when `failedAuth: false`), e.g. to `flush()`. */
  failedAuth: FailedAuthLimiter | null;
}

/**
 * The test hooks of an authenticator made by `createAuthenticator` (both `null` for any other
 * implementation). Internal: imported by path from tests and benchmarks, never exported by a
 * package entry.
 *
 * @example
 * ```ts
 * await authenticatorInternals(auth).failedAuth?.flush();
 * ```
 */
export function authenticatorInternals(auth: object): AuthenticatorInternals {
  const hooks = auth as Partial<AuthenticatorInternals>;
  return { cache: hooks.cache ?? null, failedAuth: hooks.failedAuth ?? null };
}
