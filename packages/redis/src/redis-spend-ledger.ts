import {
  InvalidRequestError,
  type Logger,
  type SpendDebit,
  type SpendLedger,
  type SpendResult,
} from '@claude-auth/core';
import type { Redis } from 'ioredis';
import { toStoreError } from './redis-errors.js';
import { DEBIT_SCRIPT, SEED_SCRIPT } from './spend-scripts.js';

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
  logger?: Logger;
  /** Clock for expiry computations (epoch ms). Default `Date.now`. */
  now?: () => number;
}

type DebitReply = [applied: number, total: number];
type LedgerClient = Redis & {
  claudeAuthDebit(
    key: string,
    amount: string,
    limit: string,
    expireAt: string,
    seed: string,
  ): Promise<DebitReply>;
  claudeAuthSeed(key: string, total: string, expireAt: string): Promise<number>;
};

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY_MS = 86_400_000;

function periodEnd(period: string): number {
  const match = PERIOD.exec(period);
  if (!match) throw new InvalidRequestError('Spend period must be YYYY-MM');
  return Date.UTC(Number(match[1]), Number(match[2]), 1);
}

function validateDebit(debit: SpendDebit): void {
  if (!Number.isSafeInteger(debit.amountMicros) || debit.amountMicros <= 0) {
    throw new InvalidRequestError('Spend amount must be a positive integer of micro-dollars');
  }
  if (
    debit.limitMicros !== null &&
    (!Number.isSafeInteger(debit.limitMicros) || debit.limitMicros < 0)
  ) {
    throw new InvalidRequestError(
      'Spend limit must be a non-negative integer of micro-dollars or null',
    );
  }
  periodEnd(debit.period);
}

/**
 * A {@link SpendLedger} on Redis: monthly spend per workspace debited atomically by one Lua
 * script (same semantics as `KeyStore.debitSpend`: a debit applies only while the total before it
 * is below the limit, so concurrent debits overshoot by at most one), in counters that expire
 * after their month.
 *
 * **Durability.** "A spend debit, once acknowledged, holds", but Redis may keep nothing on disk.
 * So give it a `durable` store (your `KeyStore`): Redis does the fast atomic admission, and
 *
 * 1. every debit Redis applies is written to the durable store (`force: true`) *before* it is
 *    acknowledged; if that write fails the Redis counter is rolled back and the call rejects with
 *    `StoreUnavailableError`, so nothing is acknowledged that is not durable;
 * 2. a missing counter (new month, Redis restarted or flushed) is seeded from the durable total
 *    before any admission, and counters are re-seeded every `resyncMs` to bound drift;
 * 3. while Redis is unreachable, debits go to the durable store directly (its own atomic
 *    conditional debit): never dropped, never silently accepted past the limit.
 *
 * Without `durable`, Redis is the only record and a Redis failure rejects with
 * `StoreUnavailableError` (a 503).
 *
 * @example
 * ```ts
 * const spend = new RedisSpendLedger({ client: redis, durable: store });
 * const { applied } = await spend.debitSpend({
 *   workspaceId: 'wrkspc_123', period: '2025-06', amountMicros: 1500, limitMicros: 5_000_000,
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
  /** Counters that may have missed debits written to the durable store while Redis was down. */
  readonly #stale = new Set<string>();

  constructor(options: RedisSpendLedgerOptions) {
    options.client.defineCommand('claudeAuthDebit', { numberOfKeys: 1, lua: DEBIT_SCRIPT });
    options.client.defineCommand('claudeAuthSeed', { numberOfKeys: 1, lua: SEED_SCRIPT });
    this.#client = options.client as LedgerClient;
    this.#durable = options.durable ?? options.store;
    this.#prefix = options.prefix ?? 'claude-auth:spend:';
    this.#resyncMs = options.resyncMs ?? 60_000;
    this.#retainMs = options.retainAfterPeriodMs ?? 31 * DAY_MS;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** {@inheritDoc SpendLedger.debitSpend} */
  async debitSpend(debit: SpendDebit): Promise<SpendResult> {
    validateDebit(debit);
    const durable = this.#durable;
    const key = this.counterKey(debit.workspaceId, debit.period);
    const limit = debit.force || debit.limitMicros === null ? -1 : debit.limitMicros;
    if (!durable) {
      try {
        const [applied, total] = await this.#debit(key, debit, limit, false);
        return { applied: applied === 1, totalMicros: total };
      } catch (error) {
        throw toStoreError(error, 'spend ledger');
      }
    }

    let reply: DebitReply;
    try {
      if (this.#stale.has(key)) {
        await this.#client.unlink(key);
        this.#stale.delete(key);
      }
      reply = await this.#debit(key, debit, limit, true);
    } catch (error) {
      return this.#direct(key, debit, error);
    }
    if (reply[0] === -1) {
      // Missing counter: seed it from the system of record (a durable failure propagates).
      const total = await durable.getSpend(debit.workspaceId, debit.period);
      try {
        await this.#client.claudeAuthSeed(key, String(total), String(this.#expireAt(debit.period)));
        reply = await this.#debit(key, debit, limit, true);
      } catch (error) {
        return this.#direct(key, debit, error);
      }
    }
    if (reply[0] === -1)
      return this.#direct(key, debit, new Error('counter vanished while seeding'));
    if (reply[0] === 0) return { applied: false, totalMicros: reply[1] };

    try {
      await durable.debitSpend({ ...debit, force: true });
    } catch (error) {
      // Not durable, so not acknowledged: undo the admission in Redis.
      await this.#client.decrby(key, debit.amountMicros).catch(() => this.#stale.add(key));
      throw error;
    }
    return { applied: true, totalMicros: reply[1] };
  }

  /** {@inheritDoc SpendLedger.getSpend} */
  async getSpend(workspaceId: string, period: string): Promise<number> {
    periodEnd(period);
    const key = this.counterKey(workspaceId, period);
    try {
      const value = this.#stale.has(key) ? null : await this.#client.get(key);
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

  /** Nothing to release: the client and the durable store belong to the caller. */
  async close(): Promise<void> {}

  #expireAt(period: string): number {
    const now = this.#now();
    // A late debit for a past month still keeps its counter for a day.
    const end = Math.max(periodEnd(period) + this.#retainMs, now + DAY_MS);
    return this.#durable ? Math.min(end, now + this.#resyncMs) : end;
  }

  async #debit(key: string, debit: SpendDebit, limit: number, seed: boolean): Promise<DebitReply> {
    return this.#client.claudeAuthDebit(
      key,
      String(debit.amountMicros),
      String(limit),
      String(this.#expireAt(debit.period)),
      seed ? '1' : '0',
    );
  }

  async #direct(key: string, debit: SpendDebit, cause: unknown): Promise<SpendResult> {
    this.#stale.add(key);
    this.#logger?.warn('Redis spend ledger unavailable; debiting the durable store directly', {
      reason: cause instanceof Error ? cause.message : String(cause),
    });
    return this.#durable!.debitSpend(debit);
  }
}
