import type { ApiKeyRecord, WorkspaceRecord } from '@claude-auth/core';
import { sampleKeyRecord, sampleWorkspaceRecord } from '../../testing/src/index.js';

let sequence = 0;

/** The shared sample key with a unique name and creation second; override any field. */
export function keyRecord(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  sequence += 1;
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, sequence));
  return sampleKeyRecord({ name: `key ${sequence}`, createdAt: at, updatedAt: at, ...overrides });
}

/** The shared sample workspace with a unique name and creation second; override any field. */
export function workspaceRecord(overrides: Partial<WorkspaceRecord> = {}): WorkspaceRecord {
  sequence += 1;
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, sequence));
  return sampleWorkspaceRecord({ name: `workspace ${sequence}`, createdAt: at, ...overrides });
}
