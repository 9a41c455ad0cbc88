import {
  DEFAULT_CONFIG,
  type ClaudeAuthConfig,
  type LimiterErrorMode,
} from '../config/claude-auth-config.js';
import { invalid } from '../config/config-problem.js';
import { applyOptions, defaultLayer, finishOptions } from '../config/options-schema.js';
import type { ErrorVocabulary } from '../errors/error-table.js';
import { KeyManager } from '../manager/key-manager.js';
import { MemoryRateLimiter } from '../limits/memory-rate-limiter.js';
import type { RateLimiter, SpendLedger } from '../limits/rate-limiter.js';
import { LocalInvalidationBus, type InvalidationBus } from '../store/invalidation-bus.js';
import type { KeyStore, RateLimitPolicy } from '../store/key-store.js';
import type { ApiVersionInfo, ApiVersionRegistry, VersionPolicy } from '../versions.js';
import type { CredentialCarrier } from './credential.js';
import { defaultMemoryStore } from './default-memory-store.js';
import { newRequestId } from './request-id.js';
import { TrustProxy, type NormalizedTrustProxy, type TrustProxySetting } from './trust-proxy.js';
import type { Logger } from './types.js';

/** Options of `createAuthenticator`. Every field is optional. */
export interface AuthenticatorOptions {
  /**
   * Keys, workspaces and spend. Default: the `keys` manager's store, else a new `MemoryKeyStore`
   * (with one warning in the log, outside `NODE_ENV=test`: its keys are lost on exit).
   */
  store?: KeyStore;
  /** The key manager (verification, usage, admin). Default: one on `store` and `invalidation`. */
  keys?: KeyManager;
  /** Keys of other environments are refused. Default `live`. */
  environment?: string;
  /** Error `type` strings: the spec's (default) or the Claude API's. */
  vocabulary?: ErrorVocabulary;
  /** Deprecated `anthropic-version`: `allow`, `warn` (default) or `reject`. */
  versionPolicy?: VersionPolicy;
  /**
   * Versions to add to, or change in, the default registry (`API_VERSIONS`), e.g.
   * `{ '2027-01-01': { status: 'current' }, '2023-01-01': { status: 'retired' } }`.
   */
  versions?: Readonly<Record<string, Partial<ApiVersionInfo>>>;
  /**
   * Where the API key may come from: `x-api-key` and/or `bearer` (`Authorization: Bearer`).
   * Default both; `['x-api-key']` is the spec's strict form.
   */
  credentials?: readonly CredentialCarrier[];
  /**
   * Default a per-process `MemoryRateLimiter`. A limiter given here also counts failed attempts
   * (`failedAuth`), so a shared one (e.g. Redis) limits them across instances.
   */
  rateLimiter?: RateLimiter;
  rateLimit?: {
    /** Default per-key policy (a key's own wins); `false` for none. Default `{ rpm: 1000 }`. */
    key?: RateLimitPolicy | false;
    /** Default per-workspace policy (a workspace's own wins); `false` (default) for none. */
    workspace?: RateLimitPolicy | false;
    /** Count and log, never refuse. Default `false`. */
    shadow?: boolean;
    /** Default `fallback` (a per-process limiter, one warning in the log). */
    onLimiterError?: LimiterErrorMode;
  };
  /**
   * Failed attempts (401s) per client address and credential shape (none, malformed, well-formed)
   * per minute before further failures of that shape from that address get 429s; a request with a
   * valid key is never refused for them. Default 20; `false` off.
   */
  failedAuth?: { maxPerMinute: number } | false;
  /**
   * Which reverse proxies to believe for the client address (failed-attempt counting), as
   * Express's `trust proxy`: `false` (default: the socket's peer), a hop count, or addresses and
   * CIDR ranges of trusted proxies. Used by every adapter; the framework's own setting is ignored.
   */
  trustProxy?: TrustProxySetting;
  /** Where spend is debited. Default the store. */
  spend?: SpendLedger;
  /** The verification cache; `false` (or `ttlMs: 0`) disables it. */
  cache?: { ttlMs?: number; negativeTtlMs?: number; maxEntries?: number } | false;
  /** Key invalidations (revocations). Default the key manager's, else a new `LocalInvalidationBus`. */
  invalidation?: InvalidationBus;
  /** Request id generator. Default `newRequestId` (`req_` + 24 base62). */
  requestId?: () => string;
  /** Default `console`. Never receives key material. */
  logger?: Logger;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** {@link AuthenticatorOptions} with every default applied, validated once. */
export interface ResolvedAuthenticatorOptions {
  readonly store: KeyStore;
  readonly keys: KeyManager;
  /** Whether the authenticator created `keys` (and so closes it). */
  readonly ownsKeys: boolean;
  readonly environment: string;
  readonly vocabulary: ErrorVocabulary;
  readonly versionPolicy: VersionPolicy;
  /** The default registry with `versions` applied. */
  readonly versions: ApiVersionRegistry;
  readonly credentials: readonly CredentialCarrier[];
  readonly rateLimiter: RateLimiter;
  /**
   * Whether `rateLimiter` is the authenticator's own default (none was given): then failed
   * attempts are counted in process only, never twice.
   */
  readonly ownsRateLimiter: boolean;
  readonly rateLimit: {
    readonly key: RateLimitPolicy | false;
    readonly workspace: RateLimitPolicy | false;
    readonly shadow: boolean;
    readonly onLimiterError: LimiterErrorMode;
  };
  readonly failedAuth: { readonly maxPerMinute: number } | false;
  /** The resolved `trustProxy`: pass it to `toLazyAuthRequest(req, trustProxy)`. */
  readonly trustProxy: TrustProxy;
  readonly spend: SpendLedger;
  readonly cache:
    { readonly ttlMs: number; readonly negativeTtlMs: number; readonly maxEntries: number } | false;
  readonly invalidation: InvalidationBus;
  readonly requestId: () => string;
  readonly logger: Logger;
  readonly now: () => number;
}

/** Default per-key policy, from `DEFAULT_CONFIG` (the one place defaults are written). */
export const DEFAULT_KEY_RATE_LIMIT: RateLimitPolicy = DEFAULT_CONFIG.rateLimit
  .key as RateLimitPolicy;

/** The plain-data options after the schema, plus the live objects as given. */
type Layer = Omit<ClaudeAuthConfig, 'trustProxy'> & {
  trustProxy: NormalizedTrustProxy;
} & Pick<
    AuthenticatorOptions,
    'store' | 'keys' | 'rateLimiter' | 'spend' | 'invalidation' | 'requestId' | 'logger' | 'now'
  >;

/** Reads a member a `KeyManager` may expose, without depending on it being there. */
function memberOf<T>(keys: KeyManager | undefined, name: 'store' | 'invalidation'): T | undefined {
  if (keys === undefined) return undefined;
  const value = (keys as unknown as Record<string, unknown>)[name];
  return value === undefined || value === null ? undefined : (value as T);
}

/**
 * Applies the defaults (`DEFAULT_CONFIG`) to {@link AuthenticatorOptions} and validates them
 * through the one options schema, once, at start-up: the same mistake gets the same message as in
 * `loadConfig()`. Throws `ConfigurationError` (code `CLAUDE_AUTH_INVALID_OPTION`, `field` set) for
 * a bad option, e.g. `cache.ttlMs` above 10 000, or `null` anywhere (`false` switches off).
 *
 * @example
 * ```ts
 * const resolved = resolveAuthenticatorOptions({ vocabulary: 'claude' });
 * resolved.cache; // { ttlMs: 5000, negativeTtlMs: 1000, maxEntries: 10000 }
 * resolveAuthenticatorOptions({ cache: { ttlMs: 60_000 } }); // throws ConfigurationError
 * ```
 */
export function resolveAuthenticatorOptions(
  options: AuthenticatorOptions = {},
): ResolvedAuthenticatorOptions {
  const code = 'CLAUDE_AUTH_INVALID_OPTION';
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    invalid({ field: 'options', code }, 'an object', options);
  }
  const layer = defaultLayer();
  applyOptions(layer, options as Record<string, unknown>, 'options', { field: '', code });
  finishOptions(layer);
  const data = layer as unknown as Layer;
  const { environment, vocabulary, versionPolicy, versions, credentials, failedAuth, cache } = data;
  const rateLimit = data.rateLimit;
  const now = data.now ?? Date.now;
  const requestId = data.requestId ?? newRequestId;
  const logger = data.logger ?? console;

  const given = data.keys;
  const store = data.store ?? memberOf<KeyStore>(given, 'store') ?? defaultMemoryStore(logger, now);
  const knownBus = data.invalidation ?? memberOf<InvalidationBus>(given, 'invalidation');
  if (given !== undefined && knownBus === undefined) {
    logger.warn(
      'claude-auth: `keys` was given without `invalidation`; pass the bus the KeyManager publishes on, ' +
        'or revocations reach the verification cache only when its TTL expires',
    );
  }
  const invalidation = knownBus ?? new LocalInvalidationBus();
  const keys =
    given ??
    new KeyManager({ store, invalidation, environment, logger, now: () => new Date(now()) });

  return {
    store,
    keys,
    ownsKeys: given === undefined,
    environment,
    vocabulary,
    versionPolicy,
    versions,
    credentials,
    rateLimiter: data.rateLimiter ?? new MemoryRateLimiter({ now }),
    ownsRateLimiter: data.rateLimiter === undefined,
    rateLimit,
    failedAuth,
    trustProxy: new TrustProxy(data.trustProxy),
    spend: data.spend ?? store,
    cache,
    invalidation,
    requestId,
    logger,
    now,
  };
}
