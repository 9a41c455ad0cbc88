/** Inputs and results of `KeyManager`. */
import type { Logger } from '../auth/types.js';
import type { InvalidationBus } from '../store/invalidation-bus.js';
import type {
  KeyKind,
  KeyStatus,
  KeyStore,
  ListKeysFilter,
  RateLimitPolicy,
} from '../store/key-store.js';
import { type ApiKeyView } from './key-view.js';

/** Options of {@link KeyManager}. */
export interface KeyManagerOptions {
  store: KeyStore;
  /** Where `{ keyId }` is published when a key's access may shrink or change. */
  invalidation?: InvalidationBus;
  /** Environment of new keys (default `live`). */
  environment?: string;
  /** Issuer prefix of new keys (default `cla`). */
  issuer?: string;
  /** Clock (tests inject one). */
  now?: () => Date;
  /** Receives background usage-flush failures. Never receives key material. */
  logger?: Logger;
  /**
   * How often pending usage (`last_used_at`, request counts) is written (default 15 000 ms; 0: only
   * on `flushUsage()` / `close()`).
   */
  usageFlushIntervalMs?: number;
}

/** Input of {@link KeyManager.createKey}. */
export interface CreateKeyInput {
  name: string;
  /** `null` or absent: an organisation-wide key. */
  workspaceId?: string | null;
  permissions?: string[];
  kind?: KeyKind;
  environment?: string;
  expiresAt?: Date | null;
  createdBy?: string | null;
  rateLimit?: RateLimitPolicy | null;
}

/** A new or regenerated key: the secret is shown this once. */
export interface CreatedKey {
  secret: string;
  key: ApiKeyView;
}

/** Filter of {@link KeyManager.listKeys}: `status` may be the derived `expired`. */
export type ListKeyViewsFilter = Omit<ListKeysFilter, 'status'> & { status?: KeyStatus };

/** Input of {@link KeyManager.createWorkspace}. */
export interface CreateWorkspaceInput {
  name: string;
  monthlySpendLimitUsd?: number | null;
  rateLimit?: RateLimitPolicy | null;
}

/** A workspace's spend and requests in one month. */
export interface WorkspaceUsage {
  workspaceId: string;
  /** UTC month, `YYYY-MM`. */
  period: string;
  spentMicros: number;
  limitMicros: number | null;
  spentUsd: number;
  limitUsd: number | null;
  /**
   * Authenticated requests that targeted the workspace this month: the store's count (every
   * instance's flushed counts) plus this process's counts not yet flushed.
   */
  requests: number;
}
