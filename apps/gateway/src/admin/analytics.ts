/** `/v1/organizations/analytics/usage` and `/cost`: the Usage and Cost Analytics API's reports. */
import type { KeyStore, UsageBucket } from '@claude-auth/core';
import { Router, type RequestHandler } from 'express';
import { queryOf } from './params.js';
import {
  ceilHour,
  encodePage,
  readReportQuery,
  type ReportDimension,
  type ReportQuery,
} from './report-query.js';

type Group = Record<ReportDimension, string | null>;

interface Sums {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  costNanos: number;
}

interface ReportRow {
  start: number;
  end: number;
  group: Group;
  /** The group's values joined, for a stable order. */
  key: string;
  sums: Sums;
}

const totalTokens = (s: Sums): number =>
  s.inputTokens + s.outputTokens + s.cacheCreationInputTokens + s.cacheReadInputTokens;

/**
 * Nano-dollars as the report's amount: fractional US cents in a decimal string, exact.
 *
 * @example
 * ```ts
 * centsOf(84_000); // '0.0084' ($0.000084)
 * ```
 */
export function centsOf(nanos: number): string {
  const digits = String(nanos).padStart(8, '0');
  const whole = String(Number(digits.slice(0, -7)));
  const fraction = digits.slice(-7).replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** Sums the buckets into one row per time bucket (when asked) and group, after the filters. */
function aggregate(buckets: readonly UsageBucket[], q: ReportQuery): ReportRow[] {
  const rows = new Map<string, ReportRow>();
  const from = q.from.getTime();
  const to = ceilHour(q.to).getTime();
  for (const bucket of buckets) {
    if (q.apiKeyIds !== null && !q.apiKeyIds.has(bucket.keyId)) continue;
    if (q.workspaceIds !== null && !q.workspaceIds.has(bucket.workspaceId ?? '')) continue;
    if (q.models !== null && !q.models.has(bucket.model)) continue;
    const at = Date.parse(bucket.bucket);
    let start = from;
    let end = to;
    if (q.widthMs !== null) {
      start = from + Math.floor((at - from) / q.widthMs) * q.widthMs;
      end = start + q.widthMs;
    }
    const group: Group = {
      api_key_id: q.groupBy.includes('api_key_id') ? bucket.keyId : null,
      workspace_id: q.groupBy.includes('workspace_id') ? bucket.workspaceId : null,
      model: q.groupBy.includes('model') ? bucket.model : null,
    };
    const key = `${group.api_key_id ?? ''}\u0000${group.workspace_id ?? ''}\u0000${group.model ?? ''}`;
    const slot = `${start}\u0000${key}`;
    let row = rows.get(slot);
    if (row === undefined) {
      row = {
        start,
        end,
        group,
        key,
        sums: {
          requests: 0,
          inputTokens: 0,
          outputTokens: 0,
          cacheCreationInputTokens: 0,
          cacheReadInputTokens: 0,
          costNanos: 0,
        },
      };
      rows.set(slot, row);
    }
    row.sums.requests += bucket.requests;
    row.sums.inputTokens += bucket.inputTokens;
    row.sums.outputTokens += bucket.outputTokens;
    row.sums.cacheCreationInputTokens += bucket.cacheCreationInputTokens;
    row.sums.cacheReadInputTokens += bucket.cacheReadInputTokens;
    row.sums.costNanos += bucket.costNanos;
  }
  return [...rows.values()];
}

const METRICS: Record<string, (s: Sums) => number> = {
  total_tokens: totalTokens,
  output_tokens: (s) => s.outputTokens,
  uncached_input_tokens: (s) => s.inputTokens,
  requests: (s) => s.requests,
  amount: (s) => s.costNanos,
  list_amount: (s) => s.costNanos,
};

/** Orders rows as the API does: by the `order_by` metric, or by time then the main metric. */
function sortRows(rows: ReportRow[], q: ReportQuery, main: (s: Sums) => number): void {
  const sign = q.descending ? -1 : 1;
  const byTime = q.orderBy === 'time' && q.widthMs !== null;
  const metric = q.orderBy === 'time' ? main : METRICS[q.orderBy]!;
  rows.sort((a, b) => {
    if (byTime && a.start !== b.start) return sign * (a.start - b.start);
    const dm = byTime ? metric(b.sums) - metric(a.sums) : sign * (metric(a.sums) - metric(b.sums));
    if (dm !== 0) return dm;
    if (a.start !== b.start) return a.start - b.start;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
}

const usageItem = (row: ReportRow) => ({
  starting_at: new Date(row.start).toISOString(),
  ending_at: new Date(row.end).toISOString(),
  group: row.group,
  usage: {
    uncached_input_tokens: row.sums.inputTokens,
    cache_read_input_tokens: row.sums.cacheReadInputTokens,
    // The gateway records cache writes without their TTL: all of them are counted as 5-minute ones.
    cache_creation: {
      ephemeral_5m_input_tokens: row.sums.cacheCreationInputTokens,
      ephemeral_1h_input_tokens: 0,
    },
    output_tokens: row.sums.outputTokens,
    total_tokens: totalTokens(row.sums),
    requests: row.sums.requests,
    server_tool_use: { web_search_requests: 0 },
  },
});

const costItem = (row: ReportRow) => ({
  starting_at: new Date(row.start).toISOString(),
  ending_at: new Date(row.end).toISOString(),
  group: row.group,
  cost: {
    amount: centsOf(row.sums.costNanos),
    list_amount: centsOf(row.sums.costNanos),
    currency: 'USD',
    requests: row.sums.requests,
  },
});

/** Options of {@link analyticsRoutes}. */
export interface AnalyticsRoutesOptions {
  /** Where the usage buckets are read (`listUsage`; a store without it reports nothing). */
  store: Pick<KeyStore, 'listUsage'>;
  /** Writes this instance's pending usage first, so a report includes every finished request. */
  flushUsage?: () => Promise<void>;
  now?: () => Date;
}

/**
 * The usage and cost report routes, relative to `/v1/organizations`, built from the hourly usage
 * buckets the gateway records for every proxied reply (the cost there is what was debited to the
 * spend ledger). Grouping by `api_key_id`, `workspace_id`, `model`; filters `api_key_ids[]`,
 * `workspace_ids[]`, `models[]`; `time_bucket_width` `1h` or `1d`; cursor pages (`page`,
 * `next_page`). Cost `amount` is in fractional US cents, as the Claude API's.
 *
 * @example
 * ```ts
 * router.use(analyticsRoutes({ store, flushUsage: () => batcher.flush() }));
 * ```
 */
export function analyticsRoutes(options: AnalyticsRoutesOptions): Router {
  const router = Router();
  const now = options.now ?? (() => new Date());

  const report =
    (kind: 'usage' | 'cost'): RequestHandler =>
    async (req, res) => {
      const orderBys =
        kind === 'usage'
          ? ['total_tokens', 'output_tokens', 'requests', 'time', 'uncached_input_tokens']
          : ['amount', 'list_amount', 'time'];
      const q = readReportQuery(queryOf(req), orderBys, now());
      await options.flushUsage?.();
      const buckets =
        (await options.store.listUsage?.({ from: q.from.toISOString(), to: q.to.toISOString() })) ??
        [];
      const rows = aggregate(buckets, q);
      sortRows(rows, q, kind === 'usage' ? totalTokens : METRICS.amount!);
      const page = rows.slice(q.offset, q.offset + q.limit);
      const more = q.offset + q.limit < rows.length;
      res.json({
        data: kind === 'usage' ? page.map(usageItem) : page.map(costItem),
        has_more: more,
        next_page: more ? encodePage(q.offset + q.limit) : null,
        data_refreshed_at: now().toISOString(),
      });
    };

  router.get('/analytics/usage', report('usage'));
  router.get('/analytics/cost', report('cost'));
  return router;
}
