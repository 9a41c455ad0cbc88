/** Rows of the SQLite store's tables and their mapping to core's records. */
import type { ApiKeyRecord, RateLimitPolicy, WorkspaceRecord } from '@claude-auth/core';

/** A row of `api_keys`: times as epoch milliseconds, permissions as a JSON array. */
export interface KeyRow {
  id: string;
  name: string;
  hint: string;
  hash: string;
  previous_hash: string | null;
  previous_hash_expires_at: number | null;
  kind: 'api' | 'admin';
  environment: string;
  workspace_id: string | null;
  permissions: string;
  status: 'active' | 'inactive' | 'archived';
  created_at: number;
  created_by: string | null;
  updated_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  rate_limit_rpm: number | null;
  rate_limit_burst: number | null;
}

/** A row of `workspaces`; money as integer micro-dollars. */
export interface WorkspaceRow {
  id: string;
  name: string;
  status: 'active' | 'archived';
  created_at: number;
  archived_at: number | null;
  monthly_spend_limit_micros: number | null;
  rate_limit_rpm: number | null;
  rate_limit_burst: number | null;
}

/**
 * A date as the epoch milliseconds SQLite stores, or `null`.
 *
 * @example
 * ```ts
 * ms(new Date(0)); // 0
 * ```
 */
export const ms = (date: Date | null): number | null => (date === null ? null : date.getTime());
const date = (value: number | null): Date | null => (value === null ? null : new Date(value));

function rateLimit(rpm: number | null, burst: number | null): RateLimitPolicy | null {
  if (rpm === null) return null;
  return burst === null ? { rpm } : { rpm, burst };
}

/**
 * The record a row of `api_keys` holds.
 *
 * @example
 * ```ts
 * const record = toKey(db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow);
 * ```
 */
export function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    hint: row.hint,
    hash: row.hash,
    previousHash: row.previous_hash,
    previousHashExpiresAt: date(row.previous_hash_expires_at),
    kind: row.kind,
    environment: row.environment,
    workspaceId: row.workspace_id,
    permissions: JSON.parse(row.permissions) as string[],
    status: row.status,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
    updatedAt: new Date(row.updated_at),
    lastUsedAt: date(row.last_used_at),
    expiresAt: date(row.expires_at),
    rateLimit: rateLimit(row.rate_limit_rpm, row.rate_limit_burst),
  };
}

/**
 * The record a row of `workspaces` holds.
 *
 * @example
 * ```ts
 * const record = toWorkspace(db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow);
 * ```
 */
export function toWorkspace(row: WorkspaceRow): WorkspaceRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    createdAt: new Date(row.created_at),
    archivedAt: date(row.archived_at),
    monthlySpendLimitMicros: row.monthly_spend_limit_micros,
    rateLimit: rateLimit(row.rate_limit_rpm, row.rate_limit_burst),
  };
}

/**
 * The named parameters of `INSERT_KEY` for a record.
 *
 * @example
 * ```ts
 * db.prepare(INSERT_KEY).run(keyParams(record));
 * ```
 */
export function keyParams(record: ApiKeyRecord): Record<string, string | number | null> {
  return {
    id: record.id,
    name: record.name,
    hint: record.hint,
    hash: record.hash,
    previous_hash: record.previousHash,
    previous_hash_expires_at: ms(record.previousHashExpiresAt),
    kind: record.kind,
    environment: record.environment,
    workspace_id: record.workspaceId,
    permissions: JSON.stringify(record.permissions),
    status: record.status,
    created_at: record.createdAt.getTime(),
    created_by: record.createdBy,
    updated_at: record.updatedAt.getTime(),
    last_used_at: ms(record.lastUsedAt),
    expires_at: ms(record.expiresAt),
    rate_limit_rpm: record.rateLimit?.rpm ?? null,
    rate_limit_burst: record.rateLimit?.burst ?? null,
  };
}
