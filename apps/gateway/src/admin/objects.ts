/** The admin API's wire objects: keys and workspaces in the Claude Admin API's shapes, plus ours. */
import { microsToUsd, type ApiKeyView, type WorkspaceRecord } from '@claude-auth/core';

/** An API key as the admin API returns it (never the secret, never a hash). */
export interface ApiKeyObject {
  id: string;
  type: 'api_key';
  name: string;
  /** RFC 3339. */
  created_at: string;
  created_by: { id: string; type: 'user' | 'service_account' } | null;
  /** The key's prefix and last four characters: safe to show. */
  partial_key_hint: string;
  status: ApiKeyView['status'];
  /** `null` for an organisation-wide key. */
  workspace_id: string | null;
  scope: { type: 'organization' } | { type: 'workspace'; workspace_id: string };
  principal: null;
  expires_at: string | null;
  // ours, beyond the Claude Admin API:
  kind: ApiKeyView['kind'];
  environment: string;
  permissions: string[];
  last_used_at: string | null;
  updated_at: string;
  rate_limit: { rpm: number; burst?: number } | null;
}

/** A workspace as the admin API returns it, with this month's spend for a console's bar. */
export interface WorkspaceObject {
  id: string;
  type: 'workspace';
  name: string;
  created_at: string;
  archived_at: string | null;
  display_color: string;
  // ours:
  status: WorkspaceRecord['status'];
  /** Monthly (UTC calendar month) spend limit; `null` for none. */
  spend_limit_usd: number | null;
  rate_limit: { rpm: number; burst?: number } | null;
  /** Spend so far this UTC month, from the counter the spend limit is enforced on. */
  spend: { period: string; spent_usd: number; spent_micros: number; limit_usd: number | null };
}

/** The admin API's object for a key view. */
export function toApiKeyObject(key: ApiKeyView): ApiKeyObject {
  const createdBy = key.createdBy;
  return {
    id: key.id,
    type: 'api_key',
    name: key.name,
    created_at: key.createdAt.toISOString(),
    created_by:
      createdBy === null
        ? null
        : { id: createdBy, type: createdBy.startsWith('key_') ? 'service_account' : 'user' },
    partial_key_hint: key.hint,
    status: key.status,
    workspace_id: key.workspaceId,
    scope:
      key.workspaceId === null
        ? { type: 'organization' }
        : { type: 'workspace', workspace_id: key.workspaceId },
    principal: null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    kind: key.kind,
    environment: key.environment,
    permissions: [...key.permissions],
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    updated_at: key.updatedAt.toISOString(),
    rate_limit: key.rateLimit === null ? null : { ...key.rateLimit },
  };
}

/** A stable colour per workspace (the Console draws one), from its id. */
function colorOf(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return `#${(hash & 0xffffff).toString(16).padStart(6, '0')}`;
}

/** The admin API's object for a workspace and its spend in `period` (micro-dollars). */
export function toWorkspaceObject(
  workspace: WorkspaceRecord,
  period: string,
  spentMicros: number,
): WorkspaceObject {
  const limit = workspace.monthlySpendLimitMicros;
  const limitUsd = limit === null ? null : microsToUsd(limit);
  return {
    id: workspace.id,
    type: 'workspace',
    name: workspace.name,
    created_at: workspace.createdAt.toISOString(),
    archived_at: workspace.archivedAt?.toISOString() ?? null,
    display_color: colorOf(workspace.id),
    status: workspace.status,
    spend_limit_usd: limitUsd,
    rate_limit: workspace.rateLimit === null ? null : { ...workspace.rateLimit },
    spend: {
      period,
      spent_usd: microsToUsd(spentMicros),
      spent_micros: spentMicros,
      limit_usd: limitUsd,
    },
  };
}
