/** The query of a usage or cost report, read and checked as the Usage and Cost Analytics API's. */
import { InvalidRequestError } from '@claude-auth/core';
import { list, onlyParams, quoteName, readLimit, single } from './params.js';

/** The dimensions the gateway records usage by. */
export const REPORT_DIMENSIONS = ['api_key_id', 'workspace_id', 'model'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_RANGE_MS = 31 * DAY_MS;
const WIDTHS = { '1h': HOUR_MS, '1d': DAY_MS } as const;

/** A checked report query. */
export interface ReportQuery {
  /** `starting_at` rounded down to the hour (usage is recorded in hourly buckets). */
  from: Date;
  /**
   * `ending_at` (exclusive; without a time bucket, rounded down to the hour); an hourly usage
   * bucket counts when it starts before it.
   */
  to: Date;
  /** Time bucket width in milliseconds, or `null` for one row per group over the whole range. */
  widthMs: number | null;
  groupBy: ReportDimension[];
  apiKeyIds: Set<string> | null;
  workspaceIds: Set<string> | null;
  models: Set<string> | null;
  limit: number;
  offset: number;
  orderBy: string;
  descending: boolean;
}

/** Rounds down to the UTC hour. */
export function floorHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** Rounds up to the UTC hour. */
export function ceilHour(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / HOUR_MS) * HOUR_MS);
}

function instant(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (value === '' || Number.isNaN(at.getTime())) {
    throw new InvalidRequestError(
      `${field} must be an RFC 3339 date-time, e.g. 2026-11-01T00:00:00Z`,
    );
  }
  return at;
}

function idSet(query: URLSearchParams, name: string): Set<string> | null {
  const values = list(query, name);
  return values.length === 0 ? null : new Set(values);
}

/** The opaque `page` cursor: an offset into the sorted rows. */
export function encodePage(offset: number): string {
  return Buffer.from(`rows:${offset}`, 'utf8').toString('base64url');
}

function decodePage(page: string | undefined): number {
  if (page === undefined || page === '') return 0;
  const text = page.length <= 64 ? Buffer.from(page, 'base64url').toString('utf8') : '';
  const match = /^rows:(\d{1,9})$/.exec(text);
  if (!match) throw new InvalidRequestError('page is not a cursor this report returned');
  return Number(match[1]);
}

/**
 * Reads `starting_at` (required, rounded down to the hour), `ending_at` (default the earlier of now
 * and `starting_at` + 31 days; without a time bucket rounded down to the hour; required with
 * `time_bucket_width`), `time_bucket_width` (`1h`, `1d`), `group_by[]`,
 * `api_key_ids[]`, `workspace_ids[]`, `models[]`, `limit` (1-1000, default 20), `page`, `order`,
 * `order_by` (one of `orderBys`, default the first). Every mistake is a 400 naming the parameter.
 *
 * @example
 * ```ts
 * const q = readReportQuery(queryOf(req), ['total_tokens', 'time'], new Date());
 * ```
 */
export function readReportQuery(
  query: URLSearchParams,
  orderBys: readonly string[],
  now: Date,
): ReportQuery {
  onlyParams(query, [
    'starting_at',
    'ending_at',
    'time_bucket_width',
    'group_by[]',
    'api_key_ids[]',
    'workspace_ids[]',
    'models[]',
    'order_by',
    'order',
    'limit',
    'page',
  ]);
  const start = instant(single(query, 'starting_at'), 'starting_at');
  if (start === undefined) throw new InvalidRequestError('starting_at is required');
  const widthName = single(query, 'time_bucket_width');
  if (widthName !== undefined && !(widthName in WIDTHS)) {
    throw new InvalidRequestError(
      widthName === '1m'
        ? 'time_bucket_width 1m is not supported: the gateway records usage in hourly buckets; use 1h or 1d'
        : 'time_bucket_width must be 1h or 1d',
    );
  }
  let end = instant(single(query, 'ending_at'), 'ending_at');
  if (widthName !== undefined && end === undefined) {
    throw new InvalidRequestError('ending_at is required when time_bucket_width is set');
  }
  if (end === undefined) {
    if (start.getTime() >= now.getTime()) {
      throw new InvalidRequestError('starting_at must be in the past when ending_at is not given');
    }
    end = new Date(Math.min(now.getTime(), start.getTime() + MAX_RANGE_MS));
  }
  if (end.getTime() <= start.getTime()) {
    throw new InvalidRequestError('ending_at must be after starting_at');
  }
  if (end.getTime() - start.getTime() > MAX_RANGE_MS) {
    throw new InvalidRequestError(
      'The range from starting_at to ending_at may span at most 31 days',
    );
  }

  const groupBy: ReportDimension[] = [];
  for (const name of list(query, 'group_by')) {
    if (!(REPORT_DIMENSIONS as readonly string[]).includes(name)) {
      throw new InvalidRequestError(
        `group_by ${quoteName(name)} is not supported by this gateway; use ${REPORT_DIMENSIONS.join(', ')}`,
      );
    }
    if (!groupBy.includes(name as ReportDimension)) groupBy.push(name as ReportDimension);
  }

  const orderBy = single(query, 'order_by') ?? orderBys[0]!;
  if (!orderBys.includes(orderBy)) {
    throw new InvalidRequestError(`order_by must be one of ${orderBys.join(', ')}`);
  }
  const order = single(query, 'order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc')
    throw new InvalidRequestError('order must be asc or desc');

  return {
    from: floorHour(start),
    // Without a time bucket the report covers whole hours: ending_at (given or default) rounded
    // down to the hour, as the SDK documents a row's ending_at. Time buckets keep their own bounds.
    to: widthName === undefined ? floorHour(end) : end,
    widthMs: widthName === undefined ? null : WIDTHS[widthName as keyof typeof WIDTHS],
    groupBy,
    apiKeyIds: idSet(query, 'api_key_ids'),
    workspaceIds: idSet(query, 'workspace_ids'),
    models: idSet(query, 'models'),
    limit: readLimit(query, 20),
    offset: decodePage(single(query, 'page')),
    orderBy,
    descending: order === 'desc',
  };
}
