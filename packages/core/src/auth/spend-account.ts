import { isClaudeAuthError, type ClaudeAuthError } from '../errors/claude-auth-error.js';
import type { ErrorVocabulary } from '../errors/error-table.js';
import type { SpendLedger } from '../limits/rate-limiter.js';
import { usdToMicros } from '../manager/money.js';
import type { KeyStore, SpendResult } from '../store/key-store.js';
import { BoundedMap } from '../util/bounded-map.js';
import { expectedError, type Step } from './pipeline-support.js';
import { retryAfterSeconds } from './rate-limit-headers.js';
import { MonthClock } from './spend-period.js';
import { SpendSettler } from './spend-settler.js';
import { debitIdFor, splitNanos, usdToNanos } from './spend-units.js';
import type { ClaudeAuth, Logger, RecordSpendResult } from './types.js';
import type { WorkspaceCache } from './workspace-cache.js';

/** How many workspaces' totals and carries are remembered at most. */
const MAX_ENTRIES = 10_000;

/** Options of {@link SpendAccount}. */
export interface SpendAccountOptions {
  ledger: SpendLedger;
  store: KeyStore;
  workspaces: WorkspaceCache;
  vocabulary: ErrorVocabulary;
  logger: Logger;
  now: () => number;
  /** How long a read total is trusted before the ledger is asked again (0: never cached). */
  totalTtlMs: number;
  /** Maps a ledger rejection on the request path to the error that makes it a 503. */
  fault: (error: unknown) => Error;
}

/**
 * The spend side of the pipeline: whether a workspace is under its monthly limit (a total read
 * from the ledger, trusted for a short while), and `recordSpend` with idempotent debit ids,
 * sub-micro-dollar carries and background settlement of debits whose outcome is unknown.
 *
 * @example
 * ```ts
 * const spend = new SpendAccount({ ledger, store, workspaces, vocabulary: 'spec', logger: console,
 *   now: Date.now, totalTtlMs: 1_000, fault: (e) => e as Error });
 * const total = await spend.total('wrk_1', Date.now());
 * ```
 */
export class SpendAccount {
  readonly #o: SpendAccountOptions;
  readonly #totals = new BoundedMap<string, { period: string; micros: number; expiresAt: number }>(
    MAX_ENTRIES,
  );
  /** (workspace, month) → nano-dollars spent here but not yet debited (below one micro-dollar). */
  readonly #carry = new BoundedMap<string, number>(MAX_ENTRIES);
  readonly #settler: SpendSettler;
  readonly #months = new MonthClock();

  constructor(options: SpendAccountOptions) {
    this.#o = options;
    this.#settler = new SpendSettler({ ledger: options.ledger, logger: options.logger });
  }

  /** The month's total of a workspace, in micro-dollars (remembered for `totalTtlMs`). */
  total(workspaceId: string, now: number): Step<number> {
    const period = this.#months.period(now);
    const cached = this.#totals.get(workspaceId);
    if (cached !== undefined && cached.period === period && cached.expiresAt > now) {
      return cached.micros;
    }
    return this.#o.ledger.getSpend(workspaceId, period).then(
      (total) => {
        this.#remember(workspaceId, period, total);
        return total;
      },
      (error: unknown) => {
        throw this.#o.fault(error);
      },
    );
  }

  /** 429 with `x-should-retry: false` and `retry-after` until the next UTC month. */
  limitError(requestId: string, now: number): ClaudeAuthError {
    return expectedError('spend_limited', {
      vocabulary: this.#o.vocabulary,
      requestId,
      retryAfter: retryAfterSeconds(this.#months.nextStart(now) - now),
      headers: { 'x-should-retry': 'false' },
    });
  }

  /** A request's `recordSpend`: debit ids derived from the request id and the call's position. */
  spender(workspaceId: string | null, requestId: string): ClaudeAuth['recordSpend'] {
    let calls = 0;
    return (usd, options) =>
      this.record(
        workspaceId,
        usd,
        options?.force === true,
        requestId,
        options?.debitId ?? debitIdFor(requestId, workspaceId, calls++),
      );
  }

  /** Forgets a workspace's remembered total (its limits changed). */
  forget(workspaceId: string): void {
    this.#totals.delete(workspaceId);
  }

  /** Waits for background settlements. */
  close(): Promise<void> {
    return this.#settler.close();
  }

  /**
   * Debits `usd` with a debit id, so that the ledger applies it at most once. Amounts are counted
   * in nano-dollars: what is below one micro-dollar is carried (per workspace and month) into the
   * next debit instead of being rounded away. When the ledger fails, the outcome is unknown (a
   * timed-out write may still commit): the error is rethrown (a 503) and the debit is settled in
   * the background: voided, since the request is refused, or re-applied if it was forced.
   */
  async record(
    workspaceId: string | null,
    usd: number,
    force: boolean,
    requestId: string,
    debitId: string,
  ): Promise<RecordSpendResult> {
    // Validates first (InvalidRequestError for a negative, non-finite or too large amount).
    const wholeMicros = usdToMicros(usd);
    const nanos = usdToNanos(usd);
    if (workspaceId === null) return { applied: false, totalMicros: 0, limitMicros: null };
    const { ledger, now } = this.#o;
    const at = now();
    const period = this.#months.period(at);
    let workspace = this.#o.workspaces.get(workspaceId, at);
    if (workspace === undefined) {
      workspace = await this.#o.store.getWorkspace(workspaceId);
      this.#o.workspaces.set(workspaceId, workspace, now());
    }
    const limitMicros = workspace?.monthlySpendLimitMicros ?? null;
    const slot = `${workspaceId}\u0000${period}`;
    const carried = this.#takeCarry(slot);
    // Past ~$9M a cost is debited in whole micro-dollars; the carry waits for the next one.
    const { micros: amountMicros, rest } =
      nanos === null ? { micros: wholeMicros, rest: carried } : splitNanos(carried + nanos);
    const refuse = (totalMicros: number): RecordSpendResult => {
      this.#addCarry(slot, carried);
      return { applied: false, totalMicros, limitMicros, error: this.limitError(requestId, now()) };
    };
    if (amountMicros === 0) {
      // Nothing to debit yet, but the limit still decides.
      let totalMicros: number;
      try {
        totalMicros = await ledger.getSpend(workspaceId, period);
      } catch (error) {
        this.#addCarry(slot, force ? rest : carried);
        throw error;
      }
      if (!force && limitMicros !== null && totalMicros >= limitMicros) return refuse(totalMicros);
      this.#addCarry(slot, rest);
      return { applied: true, totalMicros, limitMicros };
    }
    const debit = { workspaceId, period, amountMicros, limitMicros, force, debitId };
    let result: SpendResult;
    try {
      result = await ledger.debitSpend(debit);
    } catch (error) {
      // A refusal of the input itself (e.g. a malformed `debitId`) applied nothing; any other
      // failure leaves the outcome unknown.
      const rejected = isClaudeAuthError(error) && error.status === 400;
      if (force && !rejected) {
        this.#addCarry(slot, rest);
        this.#settler.redo(debit);
      } else {
        this.#addCarry(slot, carried);
        if (!rejected) this.#settler.void({ workspaceId, period, debitId });
      }
      throw error;
    }
    this.#remember(workspaceId, period, result.totalMicros);
    if (!result.applied) return refuse(result.totalMicros);
    this.#addCarry(slot, rest);
    return { applied: true, totalMicros: result.totalMicros, limitMicros };
  }

  #remember(workspaceId: string, period: string, micros: number): void {
    if (this.#o.totalTtlMs <= 0) return;
    this.#totals.set(workspaceId, {
      period,
      micros,
      expiresAt: this.#o.now() + this.#o.totalTtlMs,
    });
  }

  /** Removes and returns the carried nano-dollars of a (workspace, month). */
  #takeCarry(slot: string): number {
    const carried = this.#carry.get(slot) ?? 0;
    if (carried !== 0) this.#carry.delete(slot);
    return carried;
  }

  /** Adds nano-dollars to a carry (bounded: past 10 000 slots the oldest carry is dropped). */
  #addCarry(slot: string, nanos: number): void {
    if (nanos === 0) return;
    this.#carry.set(slot, (this.#carry.get(slot) ?? 0) + nanos);
  }
}
