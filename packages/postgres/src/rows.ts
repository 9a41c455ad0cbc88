import type { ApiKeyRecord, RateLimitPolicy, WorkspaceRecord } from '@claude-auth/core/store';

/** A row of `api_keys` as pg returns it (timestamptz as Date, jsonb parsed, text[] as array). */
export interface ApiKeyRow {
  id: string;
  name: string;
  hint: string;
  hash: string;
  previous_hash: string | null;
  previous_hash_expires_at: Date | null;
  kind: ApiKeyRecord['kind'];
  environment: string;
  workspace_id: string | null;
  permissions: string[];
  status: ApiKeyRecord['status'];
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  rate_limit: RateLimitPolicy | null;
}

/** A row of `workspaces`; `bigint` arrives as a string. */
export interface WorkspaceRow {
  id: string;
  name: string;
  status: WorkspaceRecord['status'];
  created_at: Date;
  archived_at: Date | null;
  monthly_spend_limit_micros: string | null;
  rate_limit: RateLimitPolicy | null;
}

/**
 * Parses a PostgreSQL `bigint` (a decimal string) into a number, refusing values a JavaScript
 * number cannot hold exactly.
 *
 * @example
 * ```ts
 * parseBigint('1500000'); // 1500000
 * ```
 */
export function parseBigint(value: string | number | bigint): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n))
    throw new RangeError('bigint value exceeds Number.MAX_SAFE_INTEGER');
  return n;
}

/**
 * Turns an `api_keys` row into the core record.
 *
 * @example
 * ```ts
 * const key = keyFromRow(result.rows[0]);
 * ```
 */
export function keyFromRow(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    hint: row.hint,
    hash: row.hash,
    previousHash: row.previous_hash,
    previousHashExpiresAt: row.previous_hash_expires_at,
    kind: row.kind,
    environment: row.environment,
    workspaceId: row.workspace_id,
    permissions: [...row.permissions],
    status: row.status,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    rateLimit: row.rate_limit,
  };
}

/**
 * Turns a `workspaces` row into the core record.
 *
 * @example
 * ```ts
 * const workspace = workspaceFromRow(result.rows[0]);
 * ```
 */
export function workspaceFromRow(row: WorkspaceRow): WorkspaceRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    createdAt: row.created_at,
    archivedAt: row.archived_at,
    monthlySpendLimitMicros:
      row.monthly_spend_limit_micros === null ? null : parseBigint(row.monthly_spend_limit_micros),
    rateLimit: row.rate_limit,
  };
}
