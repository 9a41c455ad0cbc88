import { MonthClock } from '../auth/spend-period.js';
import type { KeyStore, RequestCountIncrement } from '../store/key-store.js';

/** Options of {@link UsageRecorder}. */
export interface UsageRecorderOptions {
  /** Where usage is written. Without `addRequestCounts`, requests are not counted. */
  store: Pick<KeyStore, 'touchKeys'> & Partial<Pick<KeyStore, 'addRequestCounts'>>;
  now: () => Date;
  /** Minimum time between two writes for one key (default 60 000 ms). */
  minWriteIntervalMs?: number;
  /** How often the background flush runs (default 15 000 ms; 0 disables it). */
  flushIntervalMs?: number;
  /**
   * Most (workspace, month) request counts held in memory between flushes, including counts kept
   * after a failed flush (default 10 000). Requests that would need one more are not counted (see
   * {@link UsageRecorder.droppedRequests}).
   */
  maxPendingCounts?: number;
  /** Called when a background flush fails (the usage is kept and retried). */
  onError?: (error: unknown) => void;
  /** Called after a flush when requests went uncounted since the last call, with how many. */
  onDropped?: (requests: number) => void;
}

/**
 * Batches usage writes. Remembers the latest use of each key (`last_used_at`) and counts requests
 * per workspace and UTC month, in memory; a flush writes both in one `touchKeys` and one
 * `addRequestCounts` call. A key's `last_used_at` is written at most once per `minWriteIntervalMs`
 * and only moves forward; request counts are written as increments at every flush, so counts
 * from any number of instances add up in the store. A failed write keeps its usage for the next
 * flush (bounded by `maxPendingCounts`). The background timer is `unref`'d, so it never keeps a
 * process alive.
 *
 * @example
 * ```ts
 * const usage = new UsageRecorder({ store, now: () => new Date() });
 * usage.record('key_123', new Date());
 * usage.countRequest('wrkspc_123', new Date());
 * await usage.close(); // writes whatever is pending
 * ```
 */
export class UsageRecorder {
  readonly #store: UsageRecorderOptions['store'];
  readonly #now: () => Date;
  readonly #minWriteIntervalMs: number;
  readonly #flushIntervalMs: number;
  readonly #maxPendingCounts: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #onDropped: ((requests: number) => void) | undefined;
  readonly #counting: boolean;
  /** keyId → latest use not yet written (epoch ms). */
  readonly #pending = new Map<string, number>();
  /** keyId → when it was last written (clock ms) and the value written. */
  readonly #written = new Map<string, { at: number; value: number }>();
  /** period (`YYYY-MM`) → workspaceId → requests not yet written. */
  #counts = new Map<string, Map<string, number>>();
  /** Number of (workspace, period) entries in `#counts`. */
  #countSlots = 0;
  /** The period last counted in and its map: the hot path skips the outer lookup. */
  #lastPeriod = '';
  #lastPeriodCounts: Map<string, number> | undefined;
  readonly #months = new MonthClock();
  #dropped = 0;
  #droppedReported = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: UsageRecorderOptions) {
    this.#store = options.store;
    this.#now = options.now;
    this.#minWriteIntervalMs = options.minWriteIntervalMs ?? 60_000;
    this.#flushIntervalMs = options.flushIntervalMs ?? 15_000;
    this.#maxPendingCounts = options.maxPendingCounts ?? 10_000;
    if (!Number.isInteger(this.#maxPendingCounts) || this.#maxPendingCounts < 0) {
      throw new TypeError('UsageRecorder: maxPendingCounts must be a non-negative integer');
    }
    this.#onError = options.onError;
    this.#onDropped = options.onDropped;
    this.#counting = typeof options.store.addRequestCounts === 'function';
  }

  /** Keys with a use not yet written. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Requests not counted because `maxPendingCounts` was reached, since this recorder started. */
  get droppedRequests(): number {
    return this.#dropped;
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
   * Counts one request to `workspaceId` in the UTC month of `at`. Synchronous and cheap (one Map
   * increment): no I/O. Ignored after `close()`, for an empty id or an invalid date.
   */
  countRequest(workspaceId: string, at: Date): void {
    const ms = at.getTime();
    if (
      this.#closed ||
      !this.#counting ||
      !Number.isFinite(ms) ||
      typeof workspaceId !== 'string' ||
      workspaceId === ''
    ) {
      return;
    }
    if (this.#add(this.#periodCounts(this.#months.period(ms)), workspaceId, 1)) this.#startTimer();
  }

  /**
   * Moves one request counted for `from` to `to` (a route re-targeted an authenticated request to
   * another workspace). Takes it from `from` only while it is still unwritten in this process.
   */
  moveRequest(from: string | null, to: string | null, at: Date): void {
    if (from === to) return;
    const ms = at.getTime();
    if (from !== null && Number.isFinite(ms)) {
      const counts = this.#counts.get(this.#months.period(ms));
      const current = counts?.get(from);
      if (counts !== undefined && current !== undefined) {
        if (current > 1) counts.set(from, current - 1);
        else {
          counts.delete(from);
          this.#countSlots--;
        }
      }
    }
    if (to !== null) this.countRequest(to, at);
  }

  /** Requests to `workspaceId` in `period` (`YYYY-MM`) counted here and not yet written. */
  pendingRequests(workspaceId: string, period: string): number {
    return this.#counts.get(period)?.get(workspaceId) ?? 0;
  }

  /**
   * Writes pending request counts, and pending uses of keys not written within the last
   * `minWriteIntervalMs` (`force`: all of them). Rejects when the store does; what failed stays
   * pending for the next flush.
   */
  async flush(options: { force?: boolean } = {}): Promise<void> {
    const now = this.#now().getTime();
    const touches: Array<{ id: string; lastUsedAt: Date }> = [];
    for (const [id, value] of this.#pending) {
      const written = this.#written.get(id);
      if (options.force !== true && written && now - written.at < this.#minWriteIntervalMs)
        continue;
      touches.push({ id, lastUsedAt: new Date(value) });
    }
    const counts = this.#takeCounts();
    try {
      if (touches.length === 0 && counts.length === 0) return;
      for (const { id } of touches) this.#pending.delete(id);
      // Both writes run; each one's failure keeps only its own usage pending.
      const [touched, counted] = await Promise.allSettled([
        (async () => {
          if (touches.length > 0) await this.#store.touchKeys(touches);
        })(),
        (async () => {
          if (counts.length > 0) await this.#store.addRequestCounts?.(counts);
        })(),
      ]);
      if (touched.status === 'rejected') this.#restoreTouches(touches);
      else this.#markWritten(touches, now);
      if (counted.status === 'rejected') this.#restoreCounts(counts);
      if (touched.status === 'rejected') throw touched.reason;
      if (counted.status === 'rejected') throw counted.reason;
    } finally {
      this.#reportDropped();
    }
  }

  /** Stops the timer and writes everything pending. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush({ force: true });
  }

  #periodCounts(period: string): Map<string, number> {
    if (period === this.#lastPeriod && this.#lastPeriodCounts !== undefined)
      return this.#lastPeriodCounts;
    let counts = this.#counts.get(period);
    if (counts === undefined) {
      counts = new Map();
      this.#counts.set(period, counts);
    }
    this.#lastPeriod = period;
    this.#lastPeriodCounts = counts;
    return counts;
  }

  /** Adds `requests` to one entry; false (and counted as dropped) when a new entry would exceed the bound. */
  #add(counts: Map<string, number>, workspaceId: string, requests: number): boolean {
    const current = counts.get(workspaceId);
    if (current !== undefined) {
      counts.set(workspaceId, current + requests);
      return true;
    }
    if (this.#countSlots >= this.#maxPendingCounts) {
      this.#dropped += requests;
      return false;
    }
    counts.set(workspaceId, requests);
    this.#countSlots++;
    return true;
  }

  /** Empties the pending counts and returns them as increments. */
  #takeCounts(): RequestCountIncrement[] {
    if (this.#countSlots === 0) return [];
    const taken: RequestCountIncrement[] = [];
    for (const [period, counts] of this.#counts) {
      for (const [workspaceId, requests] of counts) taken.push({ workspaceId, period, requests });
    }
    this.#counts = new Map();
    this.#countSlots = 0;
    this.#lastPeriod = '';
    this.#lastPeriodCounts = undefined;
    return taken;
  }

  #restoreCounts(counts: RequestCountIncrement[]): void {
    for (const { workspaceId, period, requests } of counts) {
      this.#add(this.#periodCounts(period), workspaceId, requests);
    }
  }

  #restoreTouches(touches: Array<{ id: string; lastUsedAt: Date }>): void {
    for (const { id, lastUsedAt } of touches) {
      const pending = this.#pending.get(id);
      if (pending === undefined || pending < lastUsedAt.getTime())
        this.#pending.set(id, lastUsedAt.getTime());
    }
  }

  #markWritten(touches: Array<{ id: string; lastUsedAt: Date }>, now: number): void {
    if (touches.length === 0) return;
    for (const { id, lastUsedAt } of touches)
      this.#written.set(id, { at: now, value: lastUsedAt.getTime() });
    // Forget write times that no longer throttle anything, keeping memory bounded.
    for (const [id, written] of this.#written) {
      if (now - written.at >= this.#minWriteIntervalMs && !this.#pending.has(id))
        this.#written.delete(id);
    }
  }

  #reportDropped(): void {
    const dropped = this.#dropped - this.#droppedReported;
    if (dropped === 0) return;
    this.#droppedReported = this.#dropped;
    this.#onDropped?.(dropped);
  }

  #startTimer(): void {
    if (this.#timer || this.#flushIntervalMs <= 0) return;
    this.#timer = setInterval(() => {
      this.flush().catch((error: unknown) => this.#onError?.(error));
    }, this.#flushIntervalMs);
    this.#timer.unref?.();
  }
}
