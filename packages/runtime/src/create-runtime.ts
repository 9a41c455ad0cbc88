import {
  createAuthenticator,
  createConsoleLogger,
  toAuthenticatorOptions,
  type Authenticator,
  type AuthenticatorOptions,
  type ClaudeAuthConfig,
  type InvalidationBus,
  type KeyStore,
  type Logger,
  type OutboundOptions,
  type RateLimiter,
  type SpendLedger,
} from '@claude-auth/core';
import { loadPeer } from './load-peer.js';
import { openStore, type OpenStoreOptions } from './open-store.js';

/** Options of {@link createRuntime}. */
export interface CreateRuntimeOptions extends OpenStoreOptions {
  /**
   * Receives Redis connection messages, limiter and spend warnings, and the store's pool errors;
   * never key material. Default `createConsoleLogger(config.logLevel)`.
   */
  logger?: Logger;
  /** How long to wait for Redis at start-up before going on without it (default 2000 ms). */
  redisReadyTimeoutMs?: number;
}

/** Everything a service needs to authenticate requests, built from one resolved configuration. */
export interface ClaudeAuthRuntime {
  /** The durable key store named by `config.storeUrl`. */
  store: KeyStore;
  /** The logger every piece was given (also in `authenticatorOptions`). */
  logger: Logger;
  /** The distributed rate limiter, when `config.redisUrl` is set. */
  rateLimiter?: RateLimiter;
  /** Redis spend counters backed by the durable store, when `config.redisUrl` is set. */
  spend?: SpendLedger;
  /** The cross-instance invalidation bus, when `config.redisUrl` is set. */
  invalidation?: InvalidationBus;
  /** Pass to `createAuthenticator` or an adapter: config fields plus the objects above. */
  authenticatorOptions: AuthenticatorOptions;
  /**
   * A new authenticator on {@link ClaudeAuthRuntime.authenticatorOptions}, with `overrides` on top
   * (e.g. `{ permissions }` or a `requestIdHeader`). The caller closes it before the runtime.
   *
   * @example
   * ```ts
   * const authenticator = runtime.createAuthenticator();
   * const result = await authenticator.authenticate(request);
   * ```
   */
  createAuthenticator(overrides?: AuthenticatorOptions): Authenticator;
  /**
   * How this service calls the Claude API: `config.upstreamBaseUrl` and the logger; the key comes
   * from `ANTHROPIC_API_KEY` or `ANTHROPIC_API_KEY_FILE`, per request. Pass to
   * `createAnthropicClient` of `@claude-auth/runtime/anthropic`, or to `ClaudeAuthModule`'s
   * `outbound` option in NestJS.
   *
   * @example
   * ```ts
   * const claude = await createAnthropicClient(runtime.outboundOptions);
   * ```
   */
  outboundOptions: OutboundOptions;
  /** Closes the bus, the limiter, the Redis connections and the store, in that order. */
  close(): Promise<void>;
}

/**
 * Opens the store `config.storeUrl` names (see {@link openStore}) and, when `config.redisUrl` is
 * set, the Redis rate limiter, spend ledger and invalidation bus (each behind its circuit breaker),
 * and returns them with ready-made authenticator options (including the logger). Redis keys and
 * the channel share `config.redisPrefix`: `<prefix>rl:`, `<prefix>spend:` and `<prefix>invalidate`.
 * It waits briefly for Redis to be ready, and goes on (with a warning) if it is not. The optional
 * peers `@claude-auth/postgres` and `@claude-auth/redis` are loaded only when the configuration
 * names PostgreSQL or Redis; a missing one is a `ConfigurationError` naming the package. If any
 * piece fails to open, the pieces already opened are closed before the error is rethrown.
 *
 * @example
 * ```ts
 * const runtime = await createRuntime(loadConfig());
 * const app = express().use(claudeAuth(runtime.authenticatorOptions));
 * process.on('SIGTERM', () => void runtime.close());
 * ```
 */
export async function createRuntime(
  config: ClaudeAuthConfig,
  options: CreateRuntimeOptions = {},
): Promise<ClaudeAuthRuntime> {
  const logger = options.logger ?? createConsoleLogger(config.logLevel);
  const store = await openStore(config.storeUrl, { ...options, logger });
  const closers: Array<() => Promise<void>> = [async () => store.close?.()];
  const closeAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'Failed to close the runtime');
  };

  const base = toAuthenticatorOptions(config);
  const finish = (
    pieces: Pick<ClaudeAuthRuntime, 'rateLimiter' | 'spend' | 'invalidation'>,
  ): ClaudeAuthRuntime => {
    const authenticatorOptions: AuthenticatorOptions = { ...base, store, logger, ...pieces };
    const outboundOptions: OutboundOptions = { baseUrl: config.upstreamBaseUrl, logger };
    return {
      store,
      logger,
      ...pieces,
      authenticatorOptions,
      createAuthenticator: (overrides = {}) =>
        createAuthenticator({ ...authenticatorOptions, ...overrides }),
      outboundOptions,
      close: closeAll,
    };
  };
  if (config.redisUrl === null || config.redisUrl === undefined || config.redisUrl === '') {
    return finish({});
  }

  try {
    const {
      RedisInvalidationBus,
      RedisRateLimiter,
      RedisSpendLedger,
      createRedisClient,
      waitForRedis,
    } = await loadPeer('@claude-auth/redis', 'redisUrl', () => import('@claude-auth/redis'));
    const client = createRedisClient(config.redisUrl, {
      commandTimeoutMs: config.redis.commandTimeoutMs,
      logger,
    });
    closers.push(async () => {
      await client.quit().catch(() => client.disconnect());
    });
    // Commands fail fast until the client is ready; a Redis that stays down is not fatal: the
    // limiter falls back per process, spend goes to the store, caches expire within their TTL.
    await waitForRedis(client, options.redisReadyTimeoutMs ?? 2000).catch(() => {
      logger.warn('claude-auth: Redis is not reachable yet; continuing without it for now');
    });
    const prefix = config.redisPrefix;
    const rateLimiter = new RedisRateLimiter({ client, prefix: `${prefix}rl:`, logger });
    closers.push(async () => rateLimiter.close());
    const spend = new RedisSpendLedger({ client, store, prefix: `${prefix}spend:`, logger });
    closers.push(async () => spend.close());
    const invalidation = new RedisInvalidationBus({
      client,
      channel: `${prefix}invalidate`,
      logger,
    });
    closers.push(async () => invalidation.close?.());
    return finish({ rateLimiter, spend, invalidation });
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
