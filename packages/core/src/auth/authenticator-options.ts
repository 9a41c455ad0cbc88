import type { LimiterErrorMode } from '../config/claude-auth-config.js';
import { ConfigurationError } from '../errors/claude-auth-error.js';
import type { ErrorVocabulary } from '../errors/error-table.js';
import { KeyManager } from '../manager/key-manager.js';
import { MemoryRateLimiter } from '../limits/memory-rate-limiter.js';
import type { RateLimiter, SpendLedger } from '../limits/rate-limiter.js';
import { LocalInvalidationBus, type InvalidationBus } from '../store/invalidation-bus.js';
import type { KeyStore, RateLimitPolicy } from '../store/key-store.js';
import {
  API_VERSIONS,
  mergeVersionRegistry,
  type ApiVersionInfo,
  type ApiVersionRegistry,
  type VersionPolicy,
} from '../versions.js';
import {
  CREDENTIAL_CARRIERS,
  CREDENTIALS_EXPECTED,
  parseCredentialCarriers,
  type CredentialCarrier,
} from './credential.js';
import { defaultMemoryStore } from './default-memory-store.js';
import { newRequestId } from './request-id.js';
import {
  TRUST_PROXY_EXPECTED,
  TrustProxy,
  parseTrustProxy,
  type TrustProxySetting,
} from './trust-proxy.js';
import type { Logger } from './types.js';
import { MAX_CACHE_TTL_MS } from '../config/claude-auth-config.js';

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

/** Default per-key policy, the same as `loadConfig()`'s. */
export const DEFAULT_KEY_RATE_LIMIT: RateLimitPolicy = { rpm: 1000 };

const ENVIRONMENT_RE = /^[a-z0-9]{1,16}$/;
const VOCABULARIES: readonly ErrorVocabulary[] = ['spec', 'claude'];
const VERSION_POLICIES: readonly VersionPolicy[] = ['allow', 'warn', 'reject'];
const LIMITER_ERROR_MODES: readonly LimiterErrorMode[] = ['fallback', 'fail-closed'];

function invalid(field: string, message: string): ConfigurationError {
  return new ConfigurationError(`Invalid option ${field}: ${message}`, {
    code: 'CLAUDE_AUTH_INVALID_OPTION',
    field,
  });
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function checkPolicy(value: unknown, field: string): RateLimitPolicy | false {
  if (value === false) return false;
  if (typeof value !== 'object' || value === null)
    throw invalid(field, 'expected { rpm, burst? } or false');
  const { rpm, burst } = value as { rpm?: unknown; burst?: unknown };
  if (!isPositiveInteger(rpm)) throw invalid(`${field}.rpm`, 'expected a positive integer');
  if (burst !== undefined && !isPositiveInteger(burst)) {
    throw invalid(`${field}.burst`, 'expected a positive integer');
  }
  return burst === undefined ? { rpm } : { rpm, burst };
}

function checkMs(value: unknown, field: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw invalid(field, `expected an integer number of milliseconds from 0 to ${max}`);
  }
  return value;
}

function checkOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw invalid(field, `expected one of ${allowed.join(', ')}`);
  return value as T;
}

function checkFunction<T>(value: T | undefined, field: string): T | undefined {
  if (value !== undefined && typeof value !== 'function')
    throw invalid(field, 'expected a function');
  return value;
}

/** Reads a member a `KeyManager` may expose, without depending on it being there. */
function memberOf<T>(keys: KeyManager | undefined, name: 'store' | 'invalidation'): T | undefined {
  if (keys === undefined) return undefined;
  const value = (keys as unknown as Record<string, unknown>)[name];
  return value === undefined || value === null ? undefined : (value as T);
}

/**
 * Applies the defaults to {@link AuthenticatorOptions} and validates them, once, at start-up.
 * Throws `ConfigurationError` (code `CLAUDE_AUTH_INVALID_OPTION`, `field` set) for a bad option,
 * e.g. `cache.ttlMs` above 10 000.
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
  if (typeof options !== 'object' || options === null)
    throw invalid('options', 'expected an object');

  const environment = options.environment ?? 'live';
  if (typeof environment !== 'string' || !ENVIRONMENT_RE.test(environment)) {
    throw invalid('environment', 'expected 1 to 16 characters of a-z and 0-9');
  }
  const vocabulary = checkOneOf(options.vocabulary, VOCABULARIES, 'vocabulary', 'spec');
  const versionPolicy = checkOneOf(
    options.versionPolicy,
    VERSION_POLICIES,
    'versionPolicy',
    'warn',
  );

  const versions =
    options.versions === undefined
      ? API_VERSIONS
      : mergeVersionRegistry(options.versions, 'versions', (field, expected) => {
          throw invalid(field, `expected ${expected}`);
        });
  const credentials =
    options.credentials === undefined
      ? CREDENTIAL_CARRIERS
      : parseCredentialCarriers(options.credentials);
  if (credentials === undefined) throw invalid('credentials', `expected ${CREDENTIALS_EXPECTED}`);

  const rl = options.rateLimit ?? {};
  if (typeof rl !== 'object' || rl === null) throw invalid('rateLimit', 'expected an object');
  const rateLimit = {
    key: rl.key === undefined ? DEFAULT_KEY_RATE_LIMIT : checkPolicy(rl.key, 'rateLimit.key'),
    workspace:
      rl.workspace === undefined ? false : checkPolicy(rl.workspace, 'rateLimit.workspace'),
    shadow: rl.shadow ?? false,
    onLimiterError: checkOneOf(
      rl.onLimiterError,
      LIMITER_ERROR_MODES,
      'rateLimit.onLimiterError',
      'fallback',
    ),
  } as const;
  if (typeof rateLimit.shadow !== 'boolean')
    throw invalid('rateLimit.shadow', 'expected a boolean');

  let failedAuth: ResolvedAuthenticatorOptions['failedAuth'] = { maxPerMinute: 20 };
  if (options.failedAuth === false) failedAuth = false;
  else if (options.failedAuth !== undefined) {
    const max = (options.failedAuth as { maxPerMinute?: unknown } | null)?.maxPerMinute;
    if (!isPositiveInteger(max))
      throw invalid('failedAuth.maxPerMinute', 'expected a positive integer');
    failedAuth = { maxPerMinute: max };
  }

  const trustProxy = parseTrustProxy(options.trustProxy ?? false);
  if (trustProxy === undefined) throw invalid('trustProxy', `expected ${TRUST_PROXY_EXPECTED}`);

  let cache: ResolvedAuthenticatorOptions['cache'] = false;
  if (options.cache !== false) {
    const c = options.cache ?? {};
    if (typeof c !== 'object' || c === null) throw invalid('cache', 'expected an object or false');
    const ttlMs = checkMs(c.ttlMs, 'cache.ttlMs', 5_000, MAX_CACHE_TTL_MS);
    const negativeTtlMs = checkMs(c.negativeTtlMs, 'cache.negativeTtlMs', 1_000, MAX_CACHE_TTL_MS);
    const maxEntries = c.maxEntries ?? 10_000;
    if (!isPositiveInteger(maxEntries))
      throw invalid('cache.maxEntries', 'expected a positive integer');
    cache = ttlMs === 0 && negativeTtlMs === 0 ? false : { ttlMs, negativeTtlMs, maxEntries };
  }

  const now = checkFunction(options.now, 'now') ?? Date.now;
  const requestId = checkFunction(options.requestId, 'requestId') ?? newRequestId;
  const logger = options.logger ?? console;
  if (typeof logger.warn !== 'function' || typeof logger.error !== 'function') {
    throw invalid('logger', 'expected an object with warn and error methods');
  }

  const given = options.keys;
  const store =
    options.store ?? memberOf<KeyStore>(given, 'store') ?? defaultMemoryStore(logger, now);
  const knownBus = options.invalidation ?? memberOf<InvalidationBus>(given, 'invalidation');
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
    rateLimiter: options.rateLimiter ?? new MemoryRateLimiter({ now }),
    ownsRateLimiter: options.rateLimiter === undefined,
    rateLimit,
    failedAuth,
    trustProxy: new TrustProxy(trustProxy),
    spend: options.spend ?? store,
    cache,
    invalidation,
    requestId,
    logger,
    now,
  };
}
