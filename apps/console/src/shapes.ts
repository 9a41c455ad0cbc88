/**
 * The few fields the console reads that the Claude Admin API does not define (the gateway's
 * additions): read in one place so a renamed field is one edit.
 */
import type { ApiKey, CostRow, UsageRow, Workspace } from './api.js';

/** The key's workspace id, or `null` for an organisation-wide key. */
export function keyWorkspaceId(key: ApiKey): string | null {
  if (key.workspace_id !== undefined) return key.workspace_id;
  return key.scope?.type === 'workspace' ? key.scope.workspace_id : null;
}

/** The secret in a create or regenerate answer (shown once). */
export function secretOf(created: unknown): string | null {
  const body = created as Record<string, unknown> | null;
  if (!body) return null;
  for (const name of ['secret', 'key', 'api_key_secret', 'raw_key']) {
    const value = body[name];
    if (typeof value === 'string') return value;
  }
  const nested = body.api_key as Record<string, unknown> | undefined;
  return typeof nested?.secret === 'string' ? nested.secret : null;
}

/** The key record in a create or regenerate answer. */
export function keyOf(created: unknown): ApiKey | null {
  const body = created as Record<string, unknown> | null;
  if (!body) return null;
  if (body.type === 'api_key') return body as unknown as ApiKey;
  const nested = (body.api_key ?? body.data) as ApiKey | undefined;
  return nested && typeof nested === 'object' ? nested : null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

/** The request field that sets a workspace's monthly spend limit in USD. */
export const SPEND_LIMIT_FIELD = 'spend_limit_usd';

/** A workspace's monthly spend limit in USD, `null` when it has none. */
export function workspaceLimitUsd(workspace: Workspace): number | null {
  const spend = workspace.spend as Record<string, unknown> | undefined;
  return (
    num(workspace[SPEND_LIMIT_FIELD]) ??
    num(workspace.monthly_spend_limit_usd) ??
    num(spend?.limit_usd) ??
    null
  );
}

/** This month's spend so far in USD, `null` when the workspace object does not carry it. */
export function workspaceSpentUsd(workspace: Workspace): number | null {
  const spend = workspace.spend as Record<string, unknown> | undefined;
  return (
    num(workspace.spend_usd) ??
    num(workspace.month_spend_usd) ??
    num(workspace.spent_usd) ??
    num(spend?.spent_usd) ??
    num(spend?.amount_usd) ??
    null
  );
}

/** USD from a cost row's `amount` (fractional cents as a decimal string). */
export function costUsd(row: CostRow): number {
  return Number(row.cost.amount) / 100;
}

/** One day of a chart. */
export interface DailyPoint {
  day: string;
  requests: number;
  tokens: number;
  costUsd: number;
}

/** `YYYY-MM-DD` (UTC) of each of the last `days` days, oldest first. */
export function lastDays(days: number, now = new Date()): string[] {
  const out: string[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let i = days - 1; i >= 0; i--)
    out.push(new Date(today - i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

/** Daily requests, tokens and cost from daily-bucketed usage and cost rows. */
export function dailySeries(
  days: readonly string[],
  usage: readonly UsageRow[],
  cost: readonly CostRow[],
): DailyPoint[] {
  const byDay = new Map<string, DailyPoint>(
    days.map((day) => [day, { day, requests: 0, tokens: 0, costUsd: 0 }]),
  );
  for (const row of usage) {
    const point = byDay.get(row.starting_at.slice(0, 10));
    if (!point) continue;
    point.requests += row.usage.requests ?? 0;
    point.tokens += row.usage.total_tokens;
  }
  for (const row of cost) {
    const point = byDay.get(row.starting_at.slice(0, 10));
    if (point) point.costUsd += costUsd(row);
  }
  return [...byDay.values()];
}

/** Start of the current UTC month and of the next UTC hour, as report bounds. */
export function monthToDate(now = new Date()): { starting_at: string; ending_at: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Math.ceil((now.getTime() + 1) / 3_600_000) * 3_600_000);
  return { starting_at: start.toISOString(), ending_at: end.toISOString() };
}

/** Bounds of the last `days` UTC days, today included. */
export function lastDaysRange(
  days: number,
  now = new Date(),
): { starting_at: string; ending_at: string } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return {
    starting_at: new Date(today - (days - 1) * 86_400_000).toISOString(),
    ending_at: new Date(today + 86_400_000).toISOString(),
  };
}

/** Whether an active key is old enough to be rotated (created at least `days` days ago). */
export function needsRotation(
  key: Pick<ApiKey, 'status' | 'created_at'>,
  days: number,
  now = Date.now(),
): boolean {
  return key.status === 'active' && now - new Date(key.created_at).getTime() >= days * 86_400_000;
}
