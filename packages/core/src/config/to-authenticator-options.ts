/** Mapping the shared configuration onto the authenticator's options. */
import type { ErrorVocabulary } from '../errors/error-table.js';
import type { RateLimitPolicy } from '../store/key-store.js';
import type { CredentialCarrier } from '../auth/credential.js';
import type { ApiVersionRegistry, VersionPolicy } from '../versions.js';
import type { NormalizedTrustProxy } from '../auth/trust-proxy.js';
import type { ClaudeAuthConfig, LimiterErrorMode } from './claude-auth-config.js';

/**
 * The plain-data subset of the authenticator's options that configuration decides. Structurally
 * compatible with `AuthenticatorOptions`; `false` switches a feature off.
 */
export interface ConfigAuthenticatorOptions {
  environment: string;
  vocabulary: ErrorVocabulary;
  versionPolicy: VersionPolicy;
  /** The resolved registry (defaults plus configured versions). */
  versions: ApiVersionRegistry;
  credentials: CredentialCarrier[];
  rateLimit: {
    /** Default per-key limit; `false`: none. */
    key: RateLimitPolicy | false;
    /** Default per-workspace limit; `false`: none. */
    workspace: RateLimitPolicy | false;
    shadow: boolean;
    onLimiterError: LimiterErrorMode;
  };
  /** `false`: off. */
  failedAuth: { maxPerMinute: number } | false;
  /** Reverse proxies believed for the client address (`false`: none). */
  trustProxy: NormalizedTrustProxy;
  /** `false`: off. */
  cache: { ttlMs: number; negativeTtlMs: number; maxEntries: number } | false;
}

/**
 * Maps a resolved configuration to the authenticator options it decides (everything but live
 * objects: store, limiter, spend ledger, invalidation bus, logger). Returns fresh, mutable objects.
 *
 * @example
 * ```ts
 * const config = loadConfig();
 * const authenticator = createAuthenticator({ ...toAuthenticatorOptions(config), store, rateLimiter });
 * ```
 */
export function toAuthenticatorOptions(config: ClaudeAuthConfig): ConfigAuthenticatorOptions {
  const { rateLimit, failedAuth, cache } = config;
  return {
    environment: config.environment,
    vocabulary: config.vocabulary,
    versionPolicy: config.versionPolicy,
    versions: config.versions,
    credentials: [...config.credentials],
    rateLimit: {
      key: rateLimit.key === false ? false : { ...rateLimit.key },
      workspace: rateLimit.workspace === false ? false : { ...rateLimit.workspace },
      shadow: rateLimit.shadow,
      onLimiterError: rateLimit.onLimiterError,
    },
    failedAuth: failedAuth === false ? false : { ...failedAuth },
    trustProxy: Array.isArray(config.trustProxy)
      ? [...(config.trustProxy as readonly string[])]
      : config.trustProxy,
    cache: cache === false ? false : { ...cache },
  };
}
