/** Display helpers: dates, money, numbers. */

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 days ago", "just now"; `—` for none. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const diff = new Date(iso).getTime() - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.round(diff / ms), unit);
  }
  return 'just now';
}

/** The exact UTC time, for a tooltip. */
export function exactTime(iso: string | null | undefined): string {
  if (!iso) return 'never';
  return new Date(iso)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

const cents = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const small = new Intl.NumberFormat('en', { maximumSignificantDigits: 4 });

/**
 * The console's one money format, in tables, bars, charts and notices: `$1,234.50` (2 decimals)
 * from $0.01 up, up to 4 significant digits below (`$0.000963`, `$0.0005`), `$0.00` for zero.
 */
export function usd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const value = Math.abs(amount);
  if (value !== 0 && value < 0.01) return `${sign}$${small.format(value)}`;
  // 0.00999… rounds up to $0.01 here rather than showing as $0.00.
  return `${sign}$${cents.format(value)}`;
}

const integer = new Intl.NumberFormat('en');

/** `12,345`. */
export function count(value: number): string {
  return integer.format(value);
}

/** Whole days between `iso` and now. */
export function ageDays(iso: string, now = Date.now()): number {
  return Math.floor((now - new Date(iso).getTime()) / 86_400_000);
}
