/**
 * The UTC calendar month an instant falls in, as `YYYY-MM` (the spend period), and the start of
 * the next month. Remembers the current month so the hot path formats it once a month.
 *
 * @example
 * ```ts
 * const months = new MonthClock();
 * months.period(Date.UTC(2025, 0, 31)); // '2025-01'
 * months.nextStart(Date.UTC(2025, 0, 31)); // Date.UTC(2025, 1, 1)
 * ```
 */
export class MonthClock {
  #start = Number.POSITIVE_INFINITY;
  #next = Number.NEGATIVE_INFINITY;
  #period = '';

  /** `YYYY-MM` of the UTC month containing `epochMs`. */
  period(epochMs: number): string {
    this.#refresh(epochMs);
    return this.#period;
  }

  /** Epoch ms at which the UTC month after the one containing `epochMs` starts. */
  nextStart(epochMs: number): number {
    this.#refresh(epochMs);
    return this.#next;
  }

  #refresh(epochMs: number): void {
    if (epochMs >= this.#start && epochMs < this.#next) return;
    const d = new Date(epochMs);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth();
    this.#start = Date.UTC(year, month, 1);
    this.#next = Date.UTC(year, month + 1, 1);
    this.#period = `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}`;
  }
}
