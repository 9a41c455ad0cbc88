import {
  toAuthenticatorOptions,
  type AuthenticatorOptions,
  type ClaudeAuthConfig,
  type InvalidationBus,
  type KeyStore,
  type RateLimiter,
  type SpendLedger,
} from '@claude-auth/core';
import {
  RedisInvalidationBus,
  RedisRateLimiter,
  RedisSpendLedger,
  createRedisClient,
} from '@claude-auth/redis';
import { openStore, type OpenStoreOptions } from './open-store.js';

/** Everything a service needs to authenticate requests, built from one resolved configuration. */
export interface ClaudeAuthRuntime {
  /** The durable key store named by `config.storeUrl`. */
  store: KeyStore;
  /** The distributed rate limiter, when `config.redisUrl` is set. */
  rateLimiter?: RateLimiter;
  /** Redis spend counters backed by the durable store, when `config.redisUrl` is set. */
  spend?: SpendLedger;
  /** The cross-instance invalidation bus, when `config.redisUrl` is set. */
  invalidation?: InvalidationBus;
  /** Pass to `createAuthenticator` or an adapter: config fields plus the objects above. */
  authenticatorOptions: AuthenticatorOptions;
  /** Closes the bus, the limiter, the Redis connections and the store, in that order. */
  close(): Promise<void>;
}

/**
 * Opens the store and, when `config.redisUrl` is set, the Redis rate limiter, spend ledger and
 * invalidation bus, and returns them with ready-made authenticator options. If any piece fails to
 * open, the pieces already opened are closed before the error is rethrown.
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
  options: OpenStoreOptions = {},
): Promise<ClaudeAuthRuntime> {
  const store = await openStore(config.storeUrl, options);
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
  if (config.redisUrl === null || config.redisUrl === undefined || config.redisUrl === '') {
    return { store, authenticatorOptions: { ...base, store }, close: closeAll };
  }

  try {
    const redisOptions = { commandTimeoutMs: config.redis.commandTimeoutMs };
    const client = createRedisClient(config.redisUrl, redisOptions);
    closers.push(async () => {
      await client.quit().catch(() => client.disconnect());
    });
    const rateLimiter = new RedisRateLimiter({ client });
    const spend = new RedisSpendLedger({ client, store });
    const invalidation = new RedisInvalidationBus({ client });
    closers.push(async () => invalidation.close?.());
    return {
      store,
      rateLimiter,
      spend,
      invalidation,
      authenticatorOptions: { ...base, store, rateLimiter, spend, invalidation },
      close: closeAll,
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
