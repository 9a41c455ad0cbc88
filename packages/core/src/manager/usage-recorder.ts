import type { KeyStore } from '../store/key-store.js';

/** Options of {@link UsageRecorder}. */
export interface UsageRecorderOptions {
  store: Pick<KeyStore, 'touchKeys'>;
  now: () => Date;
  /** Minimum time between two writes for one key (default 60 000 ms). */
  minWriteIntervalMs?: number;
  /** How often the background flush runs (default 15 000 ms; 0 disables it). */
  flushIntervalMs?: number;
  /** Called when a background flush fails (the usage is kept and retried). */
  onError?: (error: unknown) => void;
}

/**
 * Batches `last_used_at` updates: remembers the latest use of each key in memory and writes them
 * in one `touchKeys` call, at most once per key per `minWriteIntervalMs`. Timestamps only move
 * forward. The background timer is `unref`'d, so it never keeps a process alive.
 *
 * @example
 * ```ts
 * const usage = new UsageRecorder({ store, now: () => new Date() });
 * usage.record('key_123', new Date());
 * await usage.close(); // writes whatever is pending
 * ```
 */
export class UsageRecorder {
  readonly #store: Pick<KeyStore, 'touchKeys'>;
  readonly #now: () => Date;
  readonly #minWriteIntervalMs: number;
  readonly #flushIntervalMs: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  /** keyId → latest use not yet written (epoch ms). */
  readonly #pending = new Map<string, number>();
  /** keyId → when it was last written (clock ms) and the value written. */
  readonly #written = new Map<string, { at: number; value: number }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: UsageRecorderOptions) {
    this.#store = options.store;
    this.#now = options.now;
    this.#minWriteIntervalMs = options.minWriteIntervalMs ?? 60_000;
    this.#flushIntervalMs = options.flushIntervalMs ?? 15_000;
    this.#onError = options.onError;
  }

  /** Keys with a use not yet written. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Remembers that `keyId` was used at `at`. Synchronous and cheap: no I/O. */
  record(keyId: string, at: Date): void {
    const value = at.getTime();
    if (this.#closed || !Number.isFinite(value)) return;
    const written = this.#written.get(keyId);
    if (written && written.value >= value) return;
    const pending = this.#pending.get(keyId);
    if (pending === undefined || pending < value) this.#pending.set(keyId, value);
    this.#startTimer();
  }

  /**
   * Writes pending uses of keys not written within the last `minWriteIntervalMs`
   * (`force`: all of them). Rejects when the store does; the uses stay pending.
   */
  async flush(options: { force?: boolean } = {}): Promise<void> {
    const now = this.#now().getTime();
    const batch: Array<{ id: string; lastUsedAt: Date }> = [];
    for (const [id, value] of this.#pending) {
      const written = this.#written.get(id);
      if (options.force !== true && written && now - written.at < this.#minWriteIntervalMs) continue;
      batch.push({ id, lastUsedAt: new Date(value) });
    }
    if (batch.length === 0) return;
    for (const { id } of batch) this.#pending.delete(id);
    try {
      await this.#store.touchKeys(batch);
    } catch (error) {
      for (const { id, lastUsedAt } of batch) {
        const pending = this.#pending.get(id);
        if (pending === undefined || pending < lastUsedAt.getTime()) this.#pending.set(id, lastUsedAt.getTime());
      }
      throw error;
    }
    for (const { id, lastUsedAt } of batch) this.#written.set(id, { at: now, value: lastUsedAt.getTime() });
    // Forget write times that no longer throttle anything, keeping memory bounded.
    for (const [id, written] of this.#written) {
      if (now - written.at >= this.#minWriteIntervalMs && !this.#pending.has(id)) this.#written.delete(id);
    }
  }

  /** Stops the timer and writes everything pending. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush({ force: true });
  }

  #startTimer(): void {
    if (this.#timer || this.#flushIntervalMs <= 0) return;
    this.#timer = setInterval(() => {
      this.flush().catch((error: unknown) => this.#onError?.(error));
    }, this.#flushIntervalMs);
    this.#timer.unref?.();
  }
}
