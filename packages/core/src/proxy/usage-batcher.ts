/** Recording proxied usage into the store's hourly buckets, batched off the request path. */
import type { Logger } from '../auth/types.js';
import type { KeyStore } from '../store/key-store.js';
import { usageBucketStart, type UsageIncrement } from '../store/usage-buckets.js';
import { BoundedMap } from '../util/bounded-map.js';
import type { ProxyUsage } from './claude-proxy.js';

/** Options of {@link UsageBatcher}. */
export interface UsageBatcherOptions {
  /** Where buckets are written. */
  store: Pick<KeyStore, 'addUsage'>;
  /** How often pending usage is written. Default 1000 ms. */
  flushIntervalMs?: number;
  /** Most distinct buckets held between flushes (also after a failed one). Default 10 000. */
  maxPending?: number;
  logger?: Pick<Logger, 'warn'>;
  now?: () => Date;
}

const HOUR_MS = 3_600_000;

/**
 * Sums each proxied reply's usage in memory per key × workspace × model × hour and writes the
 * sums with one `store.addUsage` call per interval, so recording never waits on the store. A
 * failed write keeps its sums for the next flush (bounded by `maxPending`: beyond it new usage is
 * dropped with a warning). Pass `batcher.record` as the proxy's `onUsage`.
 *
 * @example
 * ```ts
 * const usage = new UsageBatcher({ store });
 * const proxy = createClaudeProxy({ onUsage: usage.record });
 * await usage.close(); // writes what is pending
 * ```
 */
export class UsageBatcher {
  readonly #store: UsageBatcherOptions['store'];
  /** slot → row; full, a new slot is refused and counted as dropped. */
  readonly #pending: BoundedMap<string, UsageIncrement>;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  readonly #now: () => Date;
  readonly #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #dropped = 0;
  /** The hour (ms since the epoch) of the last bucket computed, and its label. */
  #hourMs = Number.NaN;
  #hourBucket = '';

  constructor(options: UsageBatcherOptions) {
    this.#store = options.store;
    this.#pending = new BoundedMap(options.maxPending ?? 10_000);
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    const interval = options.flushIntervalMs ?? 1000;
    if (interval > 0) {
      this.#timer = setInterval(() => void this.flush(), interval);
      this.#timer.unref();
    }
  }

  /** Adds one reply's usage (bound: pass it as `onUsage`). */
  readonly record = (entry: ProxyUsage): void => {
    const row: UsageIncrement = {
      keyId: entry.auth.keyId,
      workspaceId: entry.auth.workspaceId,
      model: entry.model.slice(0, 255),
      bucket: this.#bucket(this.#now()),
      requests: 1,
      inputTokens: entry.usage.input_tokens,
      outputTokens: entry.usage.output_tokens,
      cacheCreationInputTokens: entry.usage.cache_creation_input_tokens ?? 0,
      cacheReadInputTokens: entry.usage.cache_read_input_tokens ?? 0,
      costNanos: Math.round(entry.costUsd * 1e9),
    };
    this.#add(row);
  };

  /** `usageBucketStart(at)`, formatted once per hour rather than once per reply. */
  #bucket(at: Date): string {
    const ms = at.getTime();
    if (!(ms >= this.#hourMs && ms < this.#hourMs + HOUR_MS)) {
      this.#hourMs = Math.floor(ms / HOUR_MS) * HOUR_MS;
      this.#hourBucket = usageBucketStart(at);
    }
    return this.#hourBucket;
  }

  #add(row: UsageIncrement): void {
    const slot = `${row.keyId}\u0000${row.workspaceId ?? ''}\u0000${row.model}\u0000${row.bucket}`;
    const current = this.#pending.get(slot);
    if (current === undefined) {
      if (!this.#pending.add(slot, row)) this.#dropped++;
      return;
    }
    current.requests += row.requests;
    current.inputTokens += row.inputTokens;
    current.outputTokens += row.outputTokens;
    current.cacheCreationInputTokens += row.cacheCreationInputTokens;
    current.cacheReadInputTokens += row.cacheReadInputTokens;
    current.costNanos += row.costNanos;
  }

  /** Writes what is pending now (one at a time); resolves when written or kept for later. */
  flush(): Promise<void> {
    return (this.#flushing ??= this.#write().finally(() => (this.#flushing = undefined)));
  }

  async #write(): Promise<void> {
    if (this.#dropped > 0) {
      this.#logger?.warn('claude-auth: usage buckets dropped (too many pending)', {
        replies: this.#dropped,
      });
      this.#dropped = 0;
    }
    if (this.#pending.size === 0) return;
    const rows = [...this.#pending.values()];
    this.#pending.clear();
    try {
      await this.#store.addUsage(rows);
    } catch (error) {
      for (const row of rows) this.#add(row);
      this.#logger?.warn('claude-auth: could not write usage buckets; kept for the next flush', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.flush();
  }
}
