/** Small order statistics over the per-round samples. */

/**
 * The median (mean of the middle two for an even count); `NaN` for none.
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median of the per-round ratios `a[i] / b[i]` of rounds where both rows have a sample: pairing
 * rounds cancels most of the drift of a shared, noisy machine.
 *
 * @example
 * ```ts
 * pairedRatio([90, 95], [100, 100]); // 0.925
 * ```
 */
export function pairedRatio(
  a: ReadonlyArray<number | undefined>,
  b: ReadonlyArray<number | undefined>,
): number {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x !== undefined && y !== undefined && y > 0) ratios.push(x / y);
  }
  return median(ratios);
}
