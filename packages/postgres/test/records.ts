import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord, WorkspaceRecord } from '@claude-auth/core';

let sequence = 0;

/** A key record with a unique id and hash; override any field. */
export function keyRecord(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  sequence += 1;
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, sequence));
  return {
    id: `key_${randomBytes(12).toString('hex')}`,
    name: `key ${sequence}`,
    hint: 'cla_api_live_…abcd',
    hash: createHash('sha256').update(randomBytes(32)).digest('hex'),
    previousHash: null,
    previousHashExpiresAt: null,
    kind: 'api',
    environment: 'live',
    workspaceId: null,
    permissions: [],
    status: 'active',
    createdAt: at,
    createdBy: null,
    updatedAt: at,
    lastUsedAt: null,
    expiresAt: null,
    rateLimit: null,
    ...overrides,
  };
}

/** A workspace record with a unique id; override any field. */
export function workspaceRecord(overrides: Partial<WorkspaceRecord> = {}): WorkspaceRecord {
  sequence += 1;
  return {
    id: `wrkspc_${randomBytes(12).toString('hex')}`,
    name: `workspace ${sequence}`,
    status: 'active',
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, sequence)),
    archivedAt: null,
    monthlySpendLimitMicros: null,
    rateLimit: null,
    ...overrides,
  };
}
