/**
 * Settles spend debits whose outcome is unknown. A debit that fails with a timeout or a lost
 * connection may still have been committed by the store; the pipeline then answers the request
 * with a 503 and hands the debit here, which, in the background and until the store answers,
 * either voids it (the request was refused, so it must not be charged) or re-applies it under the
 * same debit id (forced usage that already happened, which must never be lost). Both are
 * idempotent in every store of this repository, so retries never double-charge.
 */
import type { SpendLedger } from '../limits/rate-limiter.js';
import type { SpendDebit, SpendDebitRef } from '../store/key-store.js';
import { BoundedMap } from '../util/bounded-map.js';
import type { Logger } from './types.js';

/** Options of {@link SpendSettler}. */
export interface SpendSettlerOptions {
  ledger: SpendLedger;
  logger: Logger;
  /** Time between two attempts while something is pending. Default 1000 ms. */
  retryMs?: number;
  /** Most debits held at once; beyond it a debit is dropped with an error log. Default 10 000. */
  maxPending?: number;
}

type Pending = { kind: 'void'; ref: SpendDebitRef } | { kind: 'redo'; debit: SpendDebit };

/**
 * Background settlement of debits with an unknown outcome (see the file comment). Its timer is
 * `unref`'d; `close()` makes one last attempt. Logs one warning when debits start waiting, one
 * line when all are settled, and an error for each debit dropped because `maxPending` was reached.
 *
 * @example
 * ```ts
 * const settler = new SpendSettler({ ledger: store, logger: console });
 * try {
 *   await store.debitSpend(debit);
 * } catch (error) {
 *   settler.void({ workspaceId: debit.workspaceId, period: debit.period, debitId: debit.debitId! });
 *   throw error;
 * }
 * ```
 */
export class SpendSettler {
  readonly #ledger: SpendLedger;
  readonly #logger: Logger;
  readonly #retryMs: number;
  /** debit id → what to do; full, a new debit is refused (never an older one dropped). */
  readonly #pending: BoundedMap<string, Pending>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #cannotVoidWarned = false;

  constructor(options: SpendSettlerOptions) {
    this.#ledger = options.ledger;
    this.#logger = options.logger;
    this.#retryMs = options.retryMs ?? 1000;
    this.#pending = new BoundedMap(options.maxPending ?? 10_000);
  }

  /** Debits waiting to be settled. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Voids `ref` in the background until the ledger confirms (a refused request's debit). */
  void(ref: SpendDebitRef): void {
    if (typeof this.#ledger.voidDebit !== 'function') {
      if (!this.#cannotVoidWarned) {
        this.#cannotVoidWarned = true;
        this.#logger.warn(
          'claude-auth: the spend ledger cannot void debits (no voidDebit); a debit that timed out may still be charged',
        );
      }
      return;
    }
    this.#add(ref.debitId, { kind: 'void', ref });
  }

  /** Re-applies `debit` (same id, idempotent) in the background until the ledger confirms. */
  redo(debit: SpendDebit): void {
    if (debit.debitId === undefined) return;
    this.#add(debit.debitId, { kind: 'redo', debit });
  }

  /** Tries every pending debit once now; those the ledger confirms are done. */
  async settle(): Promise<void> {
    this.#running ??= this.#settleAll().finally(() => {
      this.#running = undefined;
    });
    await this.#running;
  }

  /** Stops the timer and makes one last attempt. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size > 0) await this.settle();
  }

  #add(id: string, entry: Pending): void {
    const first = this.#pending.size === 0;
    if (!this.#pending.add(id, entry)) {
      this.#logger.error('claude-auth: too many unsettled spend debits; one was dropped', {
        kind: entry.kind,
      });
      return;
    }
    if (first) {
      this.#logger.warn(
        'claude-auth: spend debits with an unknown outcome; settling them in the background',
      );
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.settle().then(() => {
        if (this.#pending.size > 0) this.#schedule();
      });
    }, this.#retryMs);
    this.#timer.unref?.();
  }

  async #settleAll(): Promise<void> {
    const had = this.#pending.size;
    for (const [id, entry] of [...this.#pending]) {
      try {
        if (entry.kind === 'void') await this.#ledger.voidDebit!(entry.ref);
        else await this.#ledger.debitSpend(entry.debit);
        this.#pending.delete(id);
      } catch {
        // Still unreachable: stop this round, the timer tries again.
        return;
      }
    }
    if (had > 0 && this.#pending.size === 0) {
      this.#logger.info?.('claude-auth: every spend debit with an unknown outcome is settled', {
        settled: had,
      });
    }
  }
}
