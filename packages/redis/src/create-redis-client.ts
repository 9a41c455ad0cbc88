import { ConfigurationError, type Logger } from '@claude-auth/core';
import { Redis, type RedisOptions } from 'ioredis';

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** A command that gets no reply within this many ms fails (and the caller falls back). Default 200. */
  commandTimeoutMs?: number;
  /** How long one connection attempt may take. Default 1000. */
  connectTimeoutMs?: number;
  /** Reconnect backoff: 50 ms doubling per attempt, capped at this. Default 2000. */
  maxReconnectDelayMs?: number;
  /** Receives connection errors (at most one per outage); messages never include the URL. */
  logger?: Logger;
  /** Anything else ioredis accepts; the bounded-timeout settings above win. */
  redisOptions?: RedisOptions;
}

function positive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(`${field} must be a positive number`, { field });
  }
  return value;
}

/**
 * Creates an ioredis client tuned to fail fast: every command has a timeout, a command issued
 * while disconnected fails at once instead of waiting in an offline queue (`enableOfflineQueue:
 * false`), a request is retried at most once (`maxRetriesPerRequest: 1`), and the connection is
 * re-established in the background with capped exponential backoff. A dead Redis thus costs each
 * caller at most `commandTimeoutMs`, never a hang.
 *
 * @example
 * ```ts
 * const redis = createRedisClient('redis://127.0.0.1:6379', { commandTimeoutMs: 200 });
 * const limiter = new RedisRateLimiter({ client: redis });
 * ```
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const commandTimeout = positive(options.commandTimeoutMs ?? 200, 'commandTimeoutMs');
  const connectTimeout = positive(options.connectTimeoutMs ?? 1000, 'connectTimeoutMs');
  const maxDelay = positive(options.maxReconnectDelayMs ?? 2000, 'maxReconnectDelayMs');
  const client = new Redis(url, {
    ...options.redisOptions,
    commandTimeout,
    connectTimeout,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 16), maxDelay),
  });
  let down = false;
  client.on('error', (error: Error & { code?: string }) => {
    if (down) return;
    down = true;
    options.logger?.warn('Redis connection error; reconnecting in the background', {
      code: error.code ?? error.name,
    });
  });
  client.on('ready', () => {
    if (down) options.logger?.info?.('Redis connection restored');
    down = false;
  });
  return client;
}

/**
 * Resolves once the client is connected and ready, or rejects after `timeoutMs`. Useful at start
 * up, since a client made by {@link createRedisClient} refuses commands until then.
 *
 * @example
 * ```ts
 * const redis = createRedisClient(url);
 * await waitForRedis(redis, 2000);
 * ```
 */
export async function waitForRedis(client: Redis, timeoutMs = 2000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
