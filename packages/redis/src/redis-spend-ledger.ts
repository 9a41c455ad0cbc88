import type { Logger } from '@claude-auth/core';
import {
  DEBIT_ID_RETENTION_MS,
  assertDebitRef,
  assertPeriod,
  assertSpendDebit,
  type CircuitBreaker,
  type SpendDebit,
  type SpendDebitRef,
  type SpendResult,
  type VoidDebitResult,
  type SpendLedger,
} from '@claude-auth/core/store';
import type { Redis } from 'ioredis';
import { redisBreaker, type RedisBreakerOptions } from './redis-breaker.js';
import { toStoreError } from './redis-errors.js';
import { DEBIT_SCRIPT, SEED_SCRIPT, UNDO_SCRIPT, VOID_SCRIPT } from './spend-scripts.js';

/** Options of {@link RedisSpendLedger}. */
export interface RedisSpendLedgerOptions {
  /** The client (see `createRedisClient`); not closed by `close()`. */
  client: Redis;
  /**
   * The system of record (any `KeyStore`, e.g. PostgreSQL). Strongly recommended: Redis may keep
   * nothing on disk. With it, every debit Redis admits is also written here (forced) before it is
   * acknowledged, and debits go here directly while Redis is unreachable.
   */
  durable?: SpendLedger;
  /** Alias of `durable`. */
  store?: SpendLedger;
  /** Prefix of every counter key. Default `claude-auth:spend:`. */
  prefix?: string;
  /**
   * With a durable store, counters are dropped and re-read from it at least this often, which
   * bounds any drift between the two (e.g. debits written while Redis was unreachable). Default 60 000.
   */
  resyncMs?: number;
  /** Counters live this long after their month ends (and at least a day). Default 31 days. */
  retainAfterPeriodMs?: number;
  /**
   * Circuit breaker: after a timeout or connection error, debits go to the durable store (or
   * reject, without one) at once instead of waiting for the command timeout, while a background
   * `PING` probes Redis. `false` disables it. Default `{ probeIntervalMs: 500 }`.
   */
  breaker?: RedisBreakerOptions | false;
  /** Receives one warning per Redis outage and one line on recovery; never one per debit. */
  logger?: Logger;
  /** Clock for expiry computations (epoch ms). Default `Date.now`. */
  now?: () => number;
}

type DebitReply = [code: number, total: number];
type LedgerClient = Redis & {
  claudeAuthDebit(
    counter: string,
    marker: string,
    amount: string,
    limit: string,
    expireAt: string,
    seed: string,
    marked: string,
    markerTtlMs: string,
  ): Promise<DebitReply>;
  claudeAuthSeed(key: string, total: string, expireAt: string): Promise<number>;
  claudeAuthVoid(counter: string, marker: string, markerTtlMs: string): Promise<DebitReply>;
  claudeAuthUndo(counter: string, marker: string, amount: string, marked: string): Promise<number>;
};

/** Replies of {@link DEBIT_SCRIPT}. */
const APPLIED = 1;
const REFUSED = 0;
const SEED_NEEDED = -1;
const ALREADY_APPLIED = 2;
const VOIDED = 3;

const DAY_MS = 86_400_000;

/** Epoch ms at which a (validated) `YYYY-MM` period ends. */
function periodEnd(period: string): number {
  return Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 1);
}

/**
 * A {@link SpendLedger} on Redis: monthly spend per workspace debited atomically by one Lua
 * script (same semantics as `KeyStore.debitSpend`: a debit applies only while the total before it
 * is below the limit, so concurrent debits overshoot by at most one; a debit id applies at most
 * once), in counters that expire after their month.
 *
 * **Durability.** "A spend debit, once acknowledged, holds", but Redis may keep nothing on disk.
 * So give it a `durable` store (your `KeyStore`): Redis does the fast atomic admission, and
 *
 * 1. every debit Redis applies is written to the durable store (`force: true`, same debit id)
 *    *before* it is acknowledged; if that write fails the Redis admission is undone and the call
 *    rejects with `StoreUnavailableError`, so nothing is acknowledged that is not durable;
 * 2. a missing counter (new month, Redis restarted or flushed) is seeded from the durable total
 *    before any admission, and counters are re-seeded every `resyncMs` to bound drift;
 * 3. while Redis is unreachable, debits go to the durable store directly (its own atomic
 *    conditional debit): never dropped, never silently accepted past the limit. A circuit
 *    breaker sends them there at once after the first failure, and logs once per outage.
 *
 * `voidDebit` voids the id in Redis and in the durable store (the durable answer wins).
 * Without `durable`, Redis is the only record and a Redis failure rejects with
 * `StoreUnavailableError` (a 503).
 *
 * @example
 * ```ts
 * const spend = new RedisSpendLedger({ client: redis, durable: store });
 * const { applied } = await spend.debitSpend({
 *   workspaceId: 'wrkspc_123', period: '2025-06', amountMicros: 1500, limitMicros: 5_000_000,
 *   debitId: 'req_abc',
 * });
 * ```
 */
export class RedisSpendLedger implements SpendLedger {
  readonly #client: LedgerClient;
  readonly #durable: SpendLedger | undefined;
  readonly #prefix: string;
  readonly #resyncMs: number;
  readonly #retainMs: number;
  readonly #logger: Logger | undefined;
  readonly #now: () => number;
  readonly #breaker: CircuitBreaker | null;
  /** Counters that may have missed debits written to the durable store while Redis was down. */
  readonly #stale = new Set<string>();
  /** Without a breaker: whether the "debiting the durable store directly" warning was logged. */
  #directWarned = false;

  constructor(options: RedisSpendLedgerOptions) {
    options.client.defineCommand('claudeAuthDebit', { numberOfKeys: 2, lua: DEBIT_SCRIPT });
    options.client.defineCommand('claudeAuthSeed', { numberOfKeys: 1, lua: SEED_SCRIPT });
    options.client.defineCommand('claudeAuthVoid', { numberOfKeys: 2, lua: VOID_SCRIPT });
    options.client.defineCommand('claudeAuthUndo', { numberOfKeys: 2, lua: UNDO_SCRIPT });
    this.#client = options.client as LedgerClient;
    this.#durable = options.durable ?? options.store;
    this.#prefix = options.prefix ?? 'claude-auth:spend:';
    this.#resyncMs = options.resyncMs ?? 60_000;
    this.#retainMs = options.retainAfterPeriodMs ?? 31 * DAY_MS;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#breaker = redisBreaker(
      options.client,
      'Redis spend ledger',
      options.breaker,
      options.logger,
    );
  }

  /** The circuit breaker (`null` when disabled): `state` is `open` while Redis is known down. */
  get breaker(): CircuitBreaker | null {
    return this.#breaker;
  }

  /** {@inheritDoc SpendLedger.debitSpend} */
  async debitSpend(debit: SpendDebit): Promise<SpendResult> {
    assertSpendDebit(debit);
    const durable = this.#durable;
    const key = this.counterKey(debit.workspaceId, debit.period);
    const limit = debit.force || debit.limitMicros === null ? -1 : debit.limitMicros;
    if (!durable) {
      try {
        const [code, total] = await this.#redis(() => this.#debit(key, debit, limit, false));
        return { applied: code === APPLIED || code === ALREADY_APPLIED, totalMicros: total };
      } catch (error) {
        throw toStoreError(error, 'spend ledger');
      }
    }

    let reply: DebitReply;
    try {
      reply = await this.#redis(async () => {
        if (this.#stale.has(key)) {
          await this.#client.unlink(key);
          this.#stale.delete(key);
        }
        return this.#debit(key, debit, limit, true);
      });
    } catch (error) {
      return this.#direct(key, debit, error);
    }
    if (reply[0] === SEED_NEEDED) {
      // Missing counter: seed it from the system of record (a durable failure propagates).
      const total = await durable.getSpend(debit.workspaceId, debit.period);
      try {
        reply = await this.#redis(async () => {
          await this.#client.claudeAuthSeed(
            key,
            String(total),
            String(this.#expireAt(debit.period)),
          );
          return this.#debit(key, debit, limit, true);
        });
      } catch (error) {
        return this.#direct(key, debit, error);
      }
    }
    const [code, total] = reply;
    if (code === SEED_NEEDED)
      return this.#direct(key, debit, new Error('counter vanished while seeding'));
    this.#redisWorks();
    if (code === REFUSED || code === VOIDED) return { applied: false, totalMicros: total };
    if (code === ALREADY_APPLIED) {
      // Admitted before under this id; make sure the durable write happened (idempotent there).
      const durableResult = await durable.debitSpend({ ...debit, force: true });
      return { applied: durableResult.applied, totalMicros: total };
    }

    let durableResult: SpendResult;
    try {
      durableResult = await durable.debitSpend({ ...debit, force: true });
    } catch (error) {
      // Not durable, so not acknowledged: undo the admission in Redis.
      await this.#undo(key, debit);
      throw error;
    }
    if (!durableResult.applied) {
      // Only a voided id is refused when forced: the durable store knew it (Redis had lost its
      // marker, e.g. after a restart). It wins: void the id in Redis too.
      await this.#client
        .claudeAuthVoid(key, this.#markerKey(debit.debitId), String(this.#markerTtl()))
        .catch(() => this.#stale.add(key));
      return { applied: false, totalMicros: durableResult.totalMicros };
    }
    return { applied: true, totalMicros: total };
  }

  async #undo(key: string, debit: SpendDebit): Promise<void> {
    await this.#client
      .claudeAuthUndo(
        key,
        this.#markerKey(debit.debitId),
        String(debit.amountMicros),
        debit.debitId === undefined ? '0' : '1',
      )
      .catch(() => this.#stale.add(key));
  }

  /**
   * Voids a debit id (see `KeyStore.voidDebit`): in Redis, then in the durable store, whose answer
   * is returned. A Redis failure only marks the counter for a re-read from the durable store.
   */
  async voidDebit(ref: SpendDebitRef): Promise<VoidDebitResult> {
    assertDebitRef(ref);
    const key = this.counterKey(ref.workspaceId, ref.period);
    let fromRedis: VoidDebitResult | undefined;
    try {
      const [voided, total] = await this.#redis(() =>
        this.#client.claudeAuthVoid(key, this.#markerKey(ref.debitId), String(this.#markerTtl())),
      );
      fromRedis = { voided: voided === 1, totalMicros: total };
    } catch (error) {
      if (!this.#durable) throw toStoreError(error, 'spend ledger');
      this.#stale.add(key);
    }
    if (this.#durable?.voidDebit) {
      const result = await this.#durable.voidDebit(ref);
      // The durable store decides; a disagreement (e.g. Redis restarted) is healed by a re-read.
      if (fromRedis === undefined || fromRedis.voided !== result.voided) this.#stale.add(key);
      return result;
    }
    if (this.#durable) this.#stale.add(key);
    return fromRedis ?? { voided: false, totalMicros: 0 };
  }

  /** {@inheritDoc SpendLedger.getSpend} */
  async getSpend(workspaceId: string, period: string): Promise<number> {
    assertPeriod(period);
    const key = this.counterKey(workspaceId, period);
    try {
      const value = this.#stale.has(key) ? null : await this.#redis(() => this.#client.get(key));
      if (value !== null) return Number(value);
      if (!this.#durable) return 0;
    } catch (error) {
      if (!this.#durable) throw toStoreError(error, 'spend ledger');
    }
    return this.#durable.getSpend(workspaceId, period);
  }

  /**
   * The Redis key of a workspace's counter for one period.
   *
   * @example
   * ```ts
   * ledger.counterKey('wrkspc_1', '2025-06'); // 'claude-auth:spend:wrkspc_1:2025-06'
   * ```
   */
  counterKey(workspaceId: string, period: string): string {
    return `${this.#prefix}${workspaceId}:${period}`;
  }

  /** Stops the breaker's probe; the client and the durable store belong to the caller. */
  async close(): Promise<void> {
    this.#breaker?.close();
  }

  #markerKey(debitId: string | undefined): string {
    return `${this.#prefix}debit:${debitId ?? '-'}`;
  }

  #markerTtl(): number {
    return DEBIT_ID_RETENTION_MS;
  }

  #redis<T>(call: () => Promise<T>): Promise<T> {
    return this.#breaker ? this.#breaker.run(call) : call();
  }

  #expireAt(period: string): number {
    const now = this.#now();
    // A late debit for a past month still keeps its counter for a day.
    const end = Math.max(periodEnd(period) + this.#retainMs, now + DAY_MS);
    return this.#durable ? Math.min(end, now + this.#resyncMs) : end;
  }

  async #debit(key: string, debit: SpendDebit, limit: number, seed: boolean): Promise<DebitReply> {
    return this.#client.claudeAuthDebit(
      key,
      this.#markerKey(debit.debitId),
      String(debit.amountMicros),
      String(limit),
      String(this.#expireAt(debit.period)),
      seed ? '1' : '0',
      debit.debitId === undefined ? '0' : '1',
      String(this.#markerTtl()),
    );
  }

  #redisWorks(): void {
    if (this.#breaker === null && this.#directWarned) {
      this.#directWarned = false;
      this.#logger?.info?.('claude-auth: Redis spend ledger available again');
    }
  }

  async #direct(key: string, debit: SpendDebit, cause: unknown): Promise<SpendResult> {
    this.#stale.add(key);
    // With a breaker, the breaker logged this outage once; without one, log once here.
    if (this.#breaker === null && !this.#directWarned) {
      this.#directWarned = true;
      this.#logger?.warn('Redis spend ledger unavailable; debiting the durable store directly', {
        reason: cause instanceof Error ? cause.message : String(cause),
      });
    }
    return this.#durable!.debitSpend(debit);
  }
}
