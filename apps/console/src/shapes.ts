/**
 * Reading the admin API's objects, including the fields the gateway adds to the Claude Admin API's
 * shapes (`workspace_id`, `last_used_at`, `spend_limit_usd`, `spend`), and the report rows.
 */
import type { ApiKey, CostRow, UsageRow, Workspace } from './api.js';

/** What the console calls a key or spend that belongs to no workspace. */
export const ORGANIZATION_WIDE = 'Organization-wide';

/**
 * A key's permissions in words. Core's rule (`meetsRequirements` in auth/access.ts): `*` grants
 * every permission; an empty list grants none, so the key passes only routes that require no
 * permission (admin routes still need an admin key).
 */
export function permissionsText(permissions: readonly string[] | undefined): string {
  if (!permissions?.length) return 'none (only routes that require no permission)';
  if (permissions.includes('*')) return 'all (*)';
  return permissions.join(', ');
}

/** The key's workspace id, or `null` for an organisation-wide key. */
export function keyWorkspaceId(key: ApiKey): string | null {
  if (key.workspace_id !== undefined) return key.workspace_id;
  return key.scope?.type === 'workspace' ? key.scope.workspace_id : null;
}

/**
 * A key's `partial_key_hint` from its secret: prefix, an ellipsis, the last four characters (the
 * same rule as core's `keyHint`, which the console does not bundle).
 */
export function keyHint(secret: string): string {
  const match = /^[a-z]{2,8}_(?:api|admin)_[a-z0-9]{1,16}_/.exec(secret.slice(0, 32));
  const prefix = match ? match[0] : '';
  const tail = secret.length >= prefix.length + 16 ? secret.slice(-4) : '';
  return `${prefix}…${tail}`;
}

/**
 * Whether `key` is the admin key the console is signed in with (`ownHint` from {@link keyHint}).
 * The admin API does not say which key is calling, so the hints are compared: an admin key with
 * another secret that happens to end in the same four characters is also matched (rarely).
 */
export function isOwnKey(key: Pick<ApiKey, 'kind' | 'partial_key_hint'>, ownHint: string): boolean {
  return key.kind === 'admin' && !ownHint.endsWith('…') && key.partial_key_hint === ownHint;
}

/** The secret in a create or regenerate answer (the key object plus `secret`, shown once). */
export function secretOf(created: unknown): string | null {
  const secret = (created as { secret?: unknown } | null)?.secret;
  return typeof secret === 'string' ? secret : null;
}

/** The key record in a create or regenerate answer. */
export function keyOf(created: unknown): ApiKey | null {
  const body = created as { type?: unknown } | null;
  return body?.type === 'api_key' ? (body as ApiKey) : null;
}

/** The request field that sets a workspace's monthly spend limit in USD (`null` clears it). */
export const SPEND_LIMIT_FIELD = 'spend_limit_usd';

/** A workspace's monthly spend limit in USD, `null` when it has none. */
export function workspaceLimitUsd(workspace: Workspace): number | null {
  return workspace.spend_limit_usd;
}

/**
 * This month's spend so far in USD, from the spend ledger (the counter the gateway's spend
 * refusal reads); `null` when the workspace object does not carry it.
 */
export function workspaceSpentUsd(workspace: Workspace): number | null {
  return workspace.spend?.spent_usd ?? null;
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

/** Roughly the width an `MM-DD` x label needs, with room between labels (px). */
const LABEL_WIDTH = 48;

/**
 * Which x labels to show: every `step`-th day counted back from the last, so today is always
 * labelled (Chart.js's own skipping counts from the first and may drop the last).
 */
export function labelStep(days: number, widthPx: number): number {
  return Math.max(1, Math.ceil((days * LABEL_WIDTH) / Math.max(1, widthPx)));
}
