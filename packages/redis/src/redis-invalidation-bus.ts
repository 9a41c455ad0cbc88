import { randomUUID } from 'node:crypto';
import type { CircuitBreaker, InvalidationBus, KeyInvalidation, Logger } from '@claude-auth/core';
import type { Redis } from 'ioredis';
import { redisBreaker, type RedisBreakerOptions } from './redis-breaker.js';
import { toStoreError } from './redis-errors.js';

/** Options of {@link RedisInvalidationBus}. */
export interface RedisInvalidationBusOptions {
  /** Publishes on this client (see `createRedisClient`); not closed by `close()`. */
  client: Redis;
  /**
   * A connection dedicated to SUBSCRIBE (a subscribed connection can run nothing else). Default:
   * `client.duplicate()`, owned and closed by the bus.
   */
  subscriber?: Redis;
  /** Pub/sub channel. Default `claude-auth:invalidate`. */
  channel?: string;
  /**
   * Circuit breaker on publishing: after a timeout or connection error, `publish` rejects at once
   * (still after delivering locally) while a background `PING` probes Redis. `false` disables it.
   * Default `{ probeIntervalMs: 500 }`.
   */
  breaker?: RedisBreakerOptions | false;
  logger?: Logger;
}

interface WireMessage {
  event: KeyInvalidation;
  origin: string;
}

/** A usable id: a non-empty string of at most 256 characters. */
function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

function parse(message: string): WireMessage | null {
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value !== 'object' || value === null) return null;
    const { keyId, workspaceId, origin } = value as Record<string, unknown>;
    if (keyId !== undefined && !isId(keyId)) return null;
    if (workspaceId !== undefined && !isId(workspaceId)) return null;
    if (keyId === undefined && workspaceId === undefined) return null;
    const event: KeyInvalidation = {};
    if (keyId !== undefined) event.keyId = keyId;
    if (workspaceId !== undefined) event.workspaceId = workspaceId;
    return { event, origin: typeof origin === 'string' ? origin : '' };
  } catch {
    return null;
  }
}

/** The event with only the known fields (listeners get a fresh object each). */
function copy(event: KeyInvalidation): KeyInvalidation {
  const out: KeyInvalidation = {};
  if (event.keyId !== undefined) out.keyId = event.keyId;
  if (event.workspaceId !== undefined) out.workspaceId = event.workspaceId;
  return out;
}

/**
 * An {@link InvalidationBus} that reaches every instance through Redis pub/sub, so a revoked key
 * is refused everywhere within a second.
 *
 * - `publish` delivers to this process's listeners at once, then PUBLISHes; other instances
 *   receive it on their subscriber connection (messages from this bus itself are not delivered
 *   twice).
 * - The subscriber is a separate connection that ioredis re-subscribes after every reconnect.
 *   Messages sent while an instance is disconnected are lost: the verification cache's short TTL
 *   is the backstop.
 * - **A failed publish rejects** with `StoreUnavailableError` (a 503 from the admin API): the
 *   change itself is already stored and local caches are already cleared, but the caller must
 *   learn that other instances may keep serving the old state until their cache TTL expires. It
 *   is never swallowed silently.
 *
 * @example
 * ```ts
 * const bus = new RedisInvalidationBus({ client: redis });
 * await bus.ready();
 * const auth = createAuthenticator({ store, invalidation: bus });
 * ```
 */
export class RedisInvalidationBus implements InvalidationBus {
  readonly #client: Redis;
  readonly #subscriber: Redis;
  readonly #ownsSubscriber: boolean;
  readonly #channel: string;
  readonly #logger: Logger | undefined;
  readonly #origin = randomUUID();
  readonly #listeners = new Set<(event: KeyInvalidation) => void>();
  readonly #ready: Promise<void>;
  readonly #breaker: CircuitBreaker | null;
  #closed = false;

  constructor(options: RedisInvalidationBusOptions) {
    this.#client = options.client;
    this.#channel = options.channel ?? 'claude-auth:invalidate';
    this.#logger = options.logger;
    this.#breaker = redisBreaker(
      options.client,
      'Redis invalidation bus',
      options.breaker,
      options.logger,
    );
    this.#ownsSubscriber = options.subscriber === undefined;
    // The subscriber may queue SUBSCRIBE until connected; publishing stays fail-fast.
    this.#subscriber = options.subscriber ?? options.client.duplicate({ enableOfflineQueue: true });
    let down = false;
    this.#subscriber.on('error', (error: Error & { code?: string }) => {
      if (down) return;
      down = true;
      this.#logger?.warn('Redis invalidation subscriber disconnected; resubscribing on reconnect', {
        code: error.code ?? error.name,
      });
    });
    this.#subscriber.on('ready', () => {
      down = false;
    });
    this.#subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.#channel) return;
      const parsed = parse(message);
      if (parsed === null) {
        this.#logger?.warn('Ignored a malformed invalidation message', { channel });
        return;
      }
      if (parsed.origin !== this.#origin) this.#deliver(parsed.event);
    });
    this.#ready = this.#subscriber.subscribe(this.#channel).then(
      () => undefined,
      (error: unknown) => {
        throw toStoreError(error, 'invalidation bus');
      },
    );
    // Observed here so a failure is never an unhandled rejection; `ready()` still reports it.
    this.#ready.catch((error: unknown) => {
      this.#logger?.warn('Redis invalidation subscribe failed; ioredis will retry on reconnect', {
        reason: error instanceof Error ? error.message : String(error),
      });
    });
  }

  /**
   * Resolves once the subscription is active (rejects with `StoreUnavailableError` if the first
   * attempt failed; ioredis keeps retrying in the background).
   *
   * @example
   * ```ts
   * await bus.ready();
   * ```
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** {@inheritDoc InvalidationBus.publish} */
  async publish(event: KeyInvalidation): Promise<void> {
    const known = copy(event);
    this.#deliver(known);
    const message = JSON.stringify({ ...known, origin: this.#origin });
    const call = () => this.#client.publish(this.#channel, message);
    try {
      await (this.#breaker ? this.#breaker.run(call) : call());
    } catch (error) {
      throw toStoreError(error, 'invalidation bus');
    }
  }

  /** {@inheritDoc InvalidationBus.subscribe} */
  subscribe(listener: (event: KeyInvalidation) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Unsubscribes and closes the subscriber connection when the bus created it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#breaker?.close();
    this.#listeners.clear();
    if (this.#ownsSubscriber) {
      await this.#subscriber.quit().catch(() => this.#subscriber.disconnect());
    } else {
      await this.#subscriber.unsubscribe(this.#channel).catch(() => undefined);
    }
  }

  #deliver(event: KeyInvalidation): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger?.error('An invalidation listener threw', {
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
