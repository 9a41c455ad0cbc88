/** The shape of the one resolved configuration every claude-auth service shares, and its defaults. */
import type { ErrorVocabulary } from '../errors/error-table.js';
import { DEFAULT_ENVIRONMENT } from '../keys/key-format.js';
import type { RateLimitPolicy } from '../store/key-store.js';
import type { CredentialCarrier } from '../auth/credential.js';
import {
  API_VERSIONS,
  type ApiVersionInfo,
  type ApiVersionRegistry,
  type VersionPolicy,
} from '../versions.js';
import type { NormalizedTrustProxy, TrustProxySetting } from '../auth/trust-proxy.js';
import { DEFAULT_PRICE_TABLE, type PriceTable } from '../proxy/price-table.js';
import type { PriceTableInput } from '../proxy/price-table-config.js';

/**
 * Log levels, most verbose first; `silent` logs nothing.
 *
 * @example
 * ```ts
 * const debugOn = LOG_LEVELS.indexOf(config.logLevel) <= LOG_LEVELS.indexOf('debug');
 * ```
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** A log level of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What rate limiting does when its backing service (Redis) fails. */
export type LimiterErrorMode = 'fallback' | 'fail-closed';

/** The fully resolved, validated and frozen configuration returned by `loadConfig()`. */
export interface ClaudeAuthConfig {
  /** The key environment this service accepts (`cla_api_<environment>_…`). Default `live`. */
  readonly environment: string;
  /** What to do with a deprecated `anthropic-version`. Default `warn`. */
  readonly versionPolicy: VersionPolicy;
  /**
   * The API version registry: the defaults (`2026-10-21` current, `2023-06-01` supported,
   * `2023-01-01` deprecated) with the file's `versions` and `CLAUDE_AUTH_API_VERSIONS` applied.
   */
  readonly versions: ApiVersionRegistry;
  /** Where the API key may come from: `x-api-key`, `bearer`. Default both. */
  readonly credentials: readonly CredentialCarrier[];
  /** Which error `type` strings responses use. Default `spec`. */
  readonly vocabulary: ErrorVocabulary;
  /** Where keys live: `sqlite:<path>` or `postgres://…`. Default `sqlite:.claude-auth/claude-auth.db`. */
  readonly storeUrl: string;
  /** Redis for distributed limits, spend and invalidation (`redis://` / `rediss://`); `null`: none. */
  readonly redisUrl: string | null;
  /** The upstream Claude API, without a trailing slash. Default `https://api.anthropic.com`. */
  readonly upstreamBaseUrl: string;
  /** The port demo services and the gateway listen on. Default 3000. */
  readonly port: number;
  /**
   * The interface demo services and the gateway listen on. Default `127.0.0.1` (loopback only);
   * set `HOST=0.0.0.0` in a container so the published port reaches the service.
   */
  readonly host: string;
  /**
   * Prefix of every Redis key and channel claude-auth uses (`<prefix>rl:`, `<prefix>spend:`,
   * `<prefix>invalidate`), so several deployments can share one Redis. Default `claude-auth:`.
   */
  readonly redisPrefix: string;
  readonly rateLimit: {
    /** Default per-key limit (a key's own policy wins); `false` for none. Default `{ rpm: 1000 }`. */
    readonly key: Readonly<RateLimitPolicy> | false;
    /** Default per-workspace limit (a workspace's own policy wins); `false` for none (the default). */
    readonly workspace: Readonly<RateLimitPolicy> | false;
    /** Count and log, but never refuse. Default `false`. */
    readonly shadow: boolean;
    /** On limiter failure: a per-process limiter (`fallback`, default) or 503 (`fail-closed`). */
    readonly onLimiterError: LimiterErrorMode;
  };
  /**
   * Failed authentication attempts allowed per client address per minute. Default 20; `false` off
   * (the input `{ maxPerMinute: 0 }` resolves to `false`).
   */
  readonly failedAuth: { readonly maxPerMinute: number } | false;
  /**
   * Reverse proxies to believe for the client address: `false` (default, the socket's peer), a
   * hop count, or addresses / CIDR ranges (`loopback`, `linklocal`, `uniquelocal` allowed), as
   * Express's `trust proxy`. File key `trustProxy`, variable `CLAUDE_AUTH_TRUST_PROXY`.
   */
  readonly trustProxy: NormalizedTrustProxy;
  /** The verification cache; `false` off (the input `ttlMs: 0` resolves to `false`). */
  readonly cache:
    | false
    | {
        /** Default 5000, at most 10000 (a revoked key is refused within this time at worst). */
        readonly ttlMs: number;
        /** How long an unknown key stays known-unknown. Default 1000. */
        readonly negativeTtlMs: number;
        /** Default 10000. */
        readonly maxEntries: number;
      };
  readonly redis: {
    /** Per-command timeout before the limiter counts Redis as unavailable. Default 1000. */
    readonly commandTimeoutMs: number;
  };
  /** Messages below this level are dropped (`createConsoleLogger`); `silent` drops all. Default `info`. */
  readonly logLevel: LogLevel;
  /** Dollars per million tokens per model, for usage-based spend. Default `DEFAULT_PRICE_TABLE`. */
  readonly prices: PriceTable;
}

/** Recursively optional, writable input form of {@link ClaudeAuthConfig}: the file and overrides. */
export interface ClaudeAuthConfigInput {
  environment?: string;
  versionPolicy?: VersionPolicy;
  /** Versions to add or change: `{ "2027-01-01": { "status": "current" } }`. */
  versions?: Record<string, Partial<ApiVersionInfo>>;
  credentials?: CredentialCarrier[];
  vocabulary?: ErrorVocabulary;
  storeUrl?: string;
  /** `false` (or `null`, the resolved form) for none. */
  redisUrl?: string | false | null;
  upstreamBaseUrl?: string;
  port?: number;
  host?: string;
  redisPrefix?: string;
  rateLimit?: {
    key?: RateLimitPolicy | false;
    workspace?: RateLimitPolicy | false;
    shadow?: boolean;
    onLimiterError?: LimiterErrorMode;
  };
  failedAuth?: { maxPerMinute?: number } | false;
  trustProxy?: TrustProxySetting;
  cache?: { ttlMs?: number; negativeTtlMs?: number; maxEntries?: number } | false;
  redis?: { commandTimeoutMs?: number };
  logLevel?: LogLevel;
  prices?: PriceTableInput;
}

/**
 * Largest allowed cache TTL: a revoked key must be refused within ten seconds at worst.
 *
 * @example
 * ```ts
 * const ttlMs = Math.min(requested, MAX_CACHE_TTL_MS);
 * ```
 */
export const MAX_CACHE_TTL_MS = 10_000;

/**
 * The defaults, defined once: `loadConfig()` starts from them and `createAuthenticator()` applies
 * them to every option it is not given.
 *
 * @example
 * ```ts
 * DEFAULT_CONFIG.rateLimit.key; // { rpm: 1000 }
 * DEFAULT_CONFIG.storeUrl; // 'sqlite:.claude-auth/claude-auth.db'
 * ```
 */
export const DEFAULT_CONFIG: ClaudeAuthConfig = deepFreeze({
  environment: DEFAULT_ENVIRONMENT,
  versionPolicy: 'warn',
  versions: API_VERSIONS,
  credentials: ['x-api-key', 'bearer'],
  vocabulary: 'spec',
  storeUrl: 'sqlite:.claude-auth/claude-auth.db',
  redisUrl: null,
  upstreamBaseUrl: 'https://api.anthropic.com',
  port: 3000,
  host: '127.0.0.1',
  redisPrefix: 'claude-auth:',
  rateLimit: { key: { rpm: 1000 }, workspace: false, shadow: false, onLimiterError: 'fallback' },
  failedAuth: { maxPerMinute: 20 },
  trustProxy: false,
  cache: { ttlMs: 5000, negativeTtlMs: 1000, maxEntries: 10_000 },
  redis: { commandTimeoutMs: 1000 },
  logLevel: 'info',
  prices: DEFAULT_PRICE_TABLE,
});

/**
 * Freezes an object and every object inside it; returns it typed as readonly.
 *
 * @example
 * ```ts
 * const frozen = deepFreeze({ a: { b: 1 } });
 * Object.isFrozen(frozen.a); // true
 * ```
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
