import { InvalidRequestError, NotFoundError } from '../errors/claude-auth-error.js';
import type { Logger } from '../auth/types.js';
import { hashKey, safeEqual } from '../keys/hash.js';
import { newKeyId, newWorkspaceId } from '../keys/ids.js';
import {
  DEFAULT_ENVIRONMENT,
  DEFAULT_ISSUER,
  generateApiKey,
  keyHint,
  parseApiKey,
} from '../keys/key-format.js';
import type { InvalidationBus } from '../store/invalidation-bus.js';
import type {
  ApiKeyPatch,
  ApiKeyRecord,
  KeyKind,
  KeyStatus,
  KeyStore,
  ListKeysFilter,
  ListWorkspacesFilter,
  Page,
  RateLimitPolicy,
  StoredKeyStatus,
  WorkspaceRecord,
} from '../store/key-store.js';
import { toKeyView, type ApiKeyView } from './key-view.js';
import { microsToUsd, spendPeriod, usdToMicros } from './money.js';
import { UsageRecorder } from './usage-recorder.js';
import {
  validateEnvironment,
  validateExpiry,
  validateKind,
  validateName,
  validatePermissions,
  validateRateLimit,
} from './validation.js';

/** Longest grace period for the old secret after a regeneration: 30 days. */
export const MAX_REGENERATE_GRACE_MS = 30 * 86_400_000;

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

const KEY_NOT_FOUND = 'API key not found';
const WORKSPACE_NOT_FOUND = 'Workspace not found';

/**
 * Creates and manages API keys and workspaces on top of any {@link KeyStore}: validation, secret
 * generation (shown once, stored as SHA-256), derived `expired` status, regeneration with a grace
 * period, cache invalidation, batched `last_used_at`, spend accounting helpers.
 *
 * @example
 * ```ts
 * const keys = new KeyManager({ store: new MemoryKeyStore() });
 * const workspace = await keys.createWorkspace({ name: 'Research', monthlySpendLimitUsd: 100 });
 * const { secret, key } = await keys.createKey({ name: 'Production', workspaceId: workspace.id });
 * console.log(key.hint); // 'cla_api_live_…Ab3x'; `secret` is shown only now
 * await keys.archiveKey(key.id); // revoke
 * await keys.close();
 * ```
 */
export class KeyManager {
  readonly store: KeyStore;
  /** The bus this manager publishes key changes on (share it with the authenticator). */
  readonly invalidation: InvalidationBus | undefined;
  readonly #environment: string;
  readonly #issuer: string;
  readonly #now: () => Date;
  readonly #usage: UsageRecorder;
  readonly #logger: Logger | undefined;

  constructor(options: KeyManagerOptions) {
    if (!options || typeof options.store !== 'object' || options.store === null) {
      throw new TypeError('KeyManager: options.store is required');
    }
    this.store = options.store;
    this.invalidation = options.invalidation;
    this.#environment = options.environment ?? DEFAULT_ENVIRONMENT;
    this.#issuer = options.issuer ?? DEFAULT_ISSUER;
    // Fail fast on a bad issuer or environment: generateApiKey throws ConfigurationError.
    generateApiKey({ issuer: this.#issuer, environment: this.#environment });
    this.#now = options.now ?? (() => new Date());
    const logger = options.logger;
    this.#logger = logger;
    this.#usage = new UsageRecorder({
      store: this.store,
      now: this.#now,
      flushIntervalMs: options.usageFlushIntervalMs,
      onError: (error) =>
        logger?.warn(
          'claude-auth: could not write usage (last_used_at, request counts); will retry',
          {
            error: error instanceof Error ? error.message : String(error),
          },
        ),
      onDropped: (requests) =>
        logger?.warn(
          'claude-auth: too many workspaces with unwritten request counts; some requests were not counted',
          {
            requests,
          },
        ),
    });
  }

  /** The environment new keys are created in. */
  get environment(): string {
    return this.#environment;
  }

  // ---------------------------------------------------------------- keys

  /** Creates a key. The returned `secret` is never stored and cannot be shown again. */
  async createKey(input: CreateKeyInput): Promise<CreatedKey> {
    if (typeof input !== 'object' || input === null)
      throw new InvalidRequestError('Key input must be an object');
    const now = this.#now();
    const name = validateName(input.name);
    const kind = validateKind(input.kind ?? 'api');
    const environment = validateEnvironment(input.environment ?? this.#environment);
    const permissions = validatePermissions(input.permissions ?? []);
    const expiresAt = validateExpiry(input.expiresAt, now);
    const rateLimit = validateRateLimit(input.rateLimit);
    const createdBy =
      input.createdBy === undefined || input.createdBy === null
        ? null
        : validateName(input.createdBy, 'createdBy');
    const workspaceId = input.workspaceId ?? null;
    if (workspaceId !== null) await this.#activeWorkspace(workspaceId, 'workspaceId');

    const secret = generateApiKey({ kind, environment, issuer: this.#issuer });
    const record: ApiKeyRecord = {
      id: newKeyId(),
      name,
      hint: keyHint(secret),
      hash: hashKey(secret),
      previousHash: null,
      previousHashExpiresAt: null,
      kind,
      environment,
      workspaceId,
      permissions,
      status: 'active',
      createdAt: now,
      createdBy,
      updatedAt: now,
      lastUsedAt: null,
      expiresAt,
      rateLimit,
    };
    await this.store.createKey(record);
    return { secret, key: toKeyView(record, now) };
  }

  /** The key with this id; `NotFoundError` when there is none. */
  async getKey(id: string): Promise<ApiKeyView> {
    return toKeyView(await this.#record(id), this.#now());
  }

  /**
   * Keys, newest first. With `status` `active`, `inactive` or `expired` (derived from
   * `expiresAt`), a page may hold fewer than `limit` keys while `hasMore` is still true.
   */
  async listKeys(filter: ListKeyViewsFilter = {}): Promise<Page<ApiKeyView>> {
    const now = this.#now();
    const { status, ...rest } = filter;
    if (status === undefined || status === 'archived') {
      const page = await this.store.listKeys({ ...rest, status });
      return { ...page, data: page.data.map((record) => toKeyView(record, now)) };
    }
    if (status !== 'active' && status !== 'inactive' && status !== 'expired') {
      throw new InvalidRequestError('status must be one of active, inactive, archived, expired');
    }
    const storedStatus: StoredKeyStatus | undefined = status === 'expired' ? undefined : status;
    let after = rest.after;
    // Skip pages that hold no match, so a page is empty only at the end.
    for (;;) {
      const page = await this.store.listKeys({ ...rest, after, status: storedStatus });
      const data = page.data
        .map((record) => toKeyView(record, now))
        .filter((view) => view.status === status);
      if (data.length > 0 || !page.hasMore || page.nextCursor === null) {
        return { data, hasMore: page.hasMore, nextCursor: page.nextCursor };
      }
      after = page.nextCursor;
    }
  }

  /** Renames a key. */
  async renameKey(id: string, name: string): Promise<ApiKeyView> {
    return this.#update(id, { name: validateName(name) });
  }

  /** Activates or deactivates a key. An archived key cannot be reactivated. */
  async setKeyStatus(id: string, status: 'active' | 'inactive'): Promise<ApiKeyView> {
    if (status !== 'active' && status !== 'inactive') {
      throw new InvalidRequestError('status must be "active" or "inactive"');
    }
    const current = await this.#record(id);
    if (current.status === 'archived')
      throw new InvalidRequestError('An archived key cannot be changed');
    if (current.status === status) return toKeyView(current, this.#now());
    return this.#update(id, { status });
  }

  /** Archives (revokes) a key: it stops working at once, and cannot be reactivated. Idempotent. */
  async archiveKey(id: string): Promise<ApiKeyView> {
    const current = await this.#record(id);
    if (current.status === 'archived') return toKeyView(current, this.#now());
    return this.#update(id, {
      status: 'archived',
      previousHash: null,
      previousHashExpiresAt: null,
    });
  }

  /** Deletes a key for good. */
  async deleteKey(id: string): Promise<void> {
    if (!(await this.store.deleteKey(id))) throw new NotFoundError(KEY_NOT_FOUND);
    await this.#invalidate([id]);
  }

  /** Sets a key's own rate limit; `null` returns it to the configured default. */
  async setKeyRateLimit(id: string, policy: RateLimitPolicy | null): Promise<ApiKeyView> {
    return this.#update(id, { rateLimit: validateRateLimit(policy) });
  }

  /** Replaces a key's permissions. */
  async setKeyPermissions(id: string, permissions: string[]): Promise<ApiKeyView> {
    return this.#update(id, { permissions: validatePermissions(permissions) });
  }

  /** Sets or clears a key's expiry (must be in the future). */
  async setKeyExpiry(id: string, expiresAt: Date | null): Promise<ApiKeyView> {
    return this.#update(id, { expiresAt: validateExpiry(expiresAt, this.#now()) });
  }

  /**
   * Issues a new secret for the same key (same id, metadata, limits and spend). The old secret
   * keeps working for `graceMs` (default 0: it stops at once). Archived keys cannot be regenerated.
   */
  async regenerateKey(id: string, options: { graceMs?: number } = {}): Promise<CreatedKey> {
    const graceMs = options.graceMs ?? 0;
    if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_REGENERATE_GRACE_MS) {
      throw new InvalidRequestError('graceMs must be an integer from 0 to 30 days');
    }
    const current = await this.#record(id);
    if (current.status === 'archived')
      throw new InvalidRequestError('An archived key cannot be regenerated');
    const now = this.#now();
    const secret = generateApiKey({
      kind: current.kind,
      environment: current.environment,
      issuer: this.#issuer,
    });
    const updated = await this.store.updateKey(id, {
      hash: hashKey(secret),
      hint: keyHint(secret),
      previousHash: graceMs > 0 ? current.hash : null,
      previousHashExpiresAt: graceMs > 0 ? new Date(now.getTime() + graceMs) : null,
      updatedAt: now,
    });
    if (!updated) throw new NotFoundError(KEY_NOT_FOUND);
    await this.#invalidate([id]);
    return { secret, key: toKeyView(updated, now) };
  }

  /**
   * Looks a presented secret up: checks its format and checksum first (no store call when they
   * fail), then finds the key by SHA-256 (current secret, or the previous one within its grace
   * period) and confirms the hash in constant time. Returns `null` for an unknown secret. Does
   * not judge status, expiry or environment: the authentication pipeline does.
   *
   * @example
   * ```ts
   * const record = await keys.verifySecret(req.headers['x-api-key']);
   * ```
   */
  async verifySecret(secret: string): Promise<ApiKeyRecord | null> {
    if (parseApiKey(secret) === null) return null;
    const hash = hashKey(secret);
    const now = this.#now();
    const record = await this.store.findKeyByHash(hash, now);
    if (!record) return null;
    const current = safeEqual(record.hash, hash);
    const previous =
      record.previousHash !== null &&
      record.previousHashExpiresAt !== null &&
      record.previousHashExpiresAt.getTime() > now.getTime() &&
      safeEqual(record.previousHash, hash);
    return current || previous ? record : null;
  }

  /**
   * Notes that a key was used, and counts the request to `workspaceId` (the workspace it acted
   * in; `null` for none) in the UTC month of `at`. No I/O: `last_used_at` is written at most once
   * a minute per key and never moves backwards; request counts are added to the store's at every
   * flush (every `usageFlushIntervalMs`, `flushUsage()`, `close()`).
   *
   * @example
   * ```ts
   * keys.recordUsage(auth.keyId, new Date(), auth.workspaceId);
   * ```
   */
  recordUsage(keyId: string, at: Date, workspaceId: string | null = null): void {
    this.#usage.record(keyId, at);
    if (workspaceId !== null) this.#usage.countRequest(workspaceId, at);
  }

  /**
   * Moves one request already counted by `recordUsage` from workspace `from` to `to` (`null`: no
   * workspace), for a route that re-targets an authenticated request. No I/O.
   *
   * @example
   * ```ts
   * keys.moveRequestCount(auth.workspaceId, routeWorkspaceId, new Date());
   * ```
   */
  moveRequestCount(from: string | null, to: string | null, at: Date): void {
    this.#usage.moveRequest(from, to, at);
  }

  /**
   * Writes pending request counts, and pending `last_used_at` updates of keys not written within
   * the last minute. Rejects when the store does; the usage stays pending for the next flush.
   */
  async flushUsage(): Promise<void> {
    await this.#usage.flush();
  }

  /** Stops background work and writes all pending usage. Does not close the store. */
  async close(): Promise<void> {
    await this.#usage.close();
  }

  // ---------------------------------------------------------------- workspaces

  /** Creates a workspace, optionally with a monthly spend limit (USD) and a rate limit. */
  async createWorkspace(input: CreateWorkspaceInput): Promise<WorkspaceRecord> {
    if (typeof input !== 'object' || input === null) {
      throw new InvalidRequestError('Workspace input must be an object');
    }
    const record: WorkspaceRecord = {
      id: newWorkspaceId(),
      name: validateName(input.name),
      status: 'active',
      createdAt: this.#now(),
      archivedAt: null,
      monthlySpendLimitMicros:
        input.monthlySpendLimitUsd === undefined || input.monthlySpendLimitUsd === null
          ? null
          : usdToMicros(input.monthlySpendLimitUsd),
      rateLimit: validateRateLimit(input.rateLimit),
    };
    await this.store.createWorkspace(record);
    return record;
  }

  /** The workspace with this id; `NotFoundError` when there is none. */
  async getWorkspace(id: string): Promise<WorkspaceRecord> {
    const workspace = await this.store.getWorkspace(id);
    if (!workspace) throw new NotFoundError(WORKSPACE_NOT_FOUND);
    return workspace;
  }

  /** Workspaces, newest first; archived ones only with `includeArchived`. */
  async listWorkspaces(filter: ListWorkspacesFilter = {}): Promise<Page<WorkspaceRecord>> {
    return this.store.listWorkspaces(filter);
  }

  /** Renames an active workspace. */
  async renameWorkspace(id: string, name: string): Promise<WorkspaceRecord> {
    const valid = validateName(name);
    await this.#activeWorkspace(id);
    return this.#updateWorkspace(id, { name: valid });
  }

  /** Sets (USD) or clears (`null`) an active workspace's monthly spend limit. */
  async setWorkspaceSpendLimit(id: string, usd: number | null): Promise<WorkspaceRecord> {
    const micros = usd === null ? null : usdToMicros(usd);
    await this.#activeWorkspace(id);
    return this.#updateWorkspace(id, { monthlySpendLimitMicros: micros });
  }

  /** Sets or clears (`null`) an active workspace's rate limit. */
  async setWorkspaceRateLimit(
    id: string,
    policy: RateLimitPolicy | null,
  ): Promise<WorkspaceRecord> {
    const valid = validateRateLimit(policy);
    await this.#activeWorkspace(id);
    return this.#updateWorkspace(id, { rateLimit: valid });
  }

  /**
   * Archives a workspace and, atomically, all of its keys; the workspace and its keys are
   * invalidated in every cache (so organisation-wide keys are refused there at once, even when
   * the workspace had no keys of its own).
   */
  async archiveWorkspace(id: string): Promise<WorkspaceRecord> {
    const result = await this.store.archiveWorkspace(id, this.#now());
    if (!result) throw new NotFoundError(WORKSPACE_NOT_FOUND);
    await this.#invalidateWorkspace(id);
    await this.#invalidate(result.archivedKeyIds);
    return result.workspace;
  }

  /**
   * A workspace's spend and requests in the month containing `at` (default: now). `requests`
   * adds this process's unwritten count to the store's.
   */
  async getWorkspaceUsage(id: string, at: Date = this.#now()): Promise<WorkspaceUsage> {
    const workspace = await this.getWorkspace(id);
    const period = spendPeriod(at);
    const [spentMicros, storedRequests] = await Promise.all([
      this.store.getSpend(id, period),
      this.store.getRequestCount(id, period),
    ]);
    const limitMicros = workspace.monthlySpendLimitMicros;
    return {
      workspaceId: id,
      period,
      spentMicros,
      limitMicros,
      spentUsd: microsToUsd(spentMicros),
      limitUsd: limitMicros === null ? null : microsToUsd(limitMicros),
      requests: storedRequests + this.#usage.pendingRequests(id, period),
    };
  }

  // ---------------------------------------------------------------- internals

  async #record(id: string): Promise<ApiKeyRecord> {
    const record = typeof id === 'string' ? await this.store.getKey(id) : null;
    if (!record) throw new NotFoundError(KEY_NOT_FOUND);
    return record;
  }

  async #update(id: string, patch: ApiKeyPatch): Promise<ApiKeyView> {
    const now = this.#now();
    const updated =
      typeof id === 'string' ? await this.store.updateKey(id, { ...patch, updatedAt: now }) : null;
    if (!updated) throw new NotFoundError(KEY_NOT_FOUND);
    await this.#invalidate([id]);
    return toKeyView(updated, now);
  }

  async #activeWorkspace(id: string, field?: string): Promise<WorkspaceRecord> {
    const workspace = typeof id === 'string' ? await this.store.getWorkspace(id) : null;
    if (!workspace) {
      if (field) throw new InvalidRequestError(`${field} does not name an existing workspace`);
      throw new NotFoundError(WORKSPACE_NOT_FOUND);
    }
    if (workspace.status === 'archived') {
      throw new InvalidRequestError(
        field ? `${field} names an archived workspace` : 'Workspace is archived',
      );
    }
    return workspace;
  }

  async #updateWorkspace(
    id: string,
    patch: Parameters<KeyStore['updateWorkspace']>[1],
  ): Promise<WorkspaceRecord> {
    const updated = await this.store.updateWorkspace(id, patch);
    if (!updated) throw new NotFoundError(WORKSPACE_NOT_FOUND);
    await this.#invalidateWorkspace(id);
    return updated;
  }

  /** Publishes a workspace change; like a key's, a failure to publish is logged, never thrown. */
  async #invalidateWorkspace(workspaceId: string): Promise<void> {
    if (!this.invalidation) return;
    try {
      await this.invalidation.publish({ workspaceId });
    } catch (error) {
      this.#logger?.warn('claude-auth: could not publish a workspace invalidation', {
        workspaceId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async #invalidate(keyIds: readonly string[]): Promise<void> {
    if (!this.invalidation) return;
    for (const keyId of keyIds) {
      try {
        await this.invalidation.publish({ keyId });
      } catch (error) {
        // The store change stands; caches still expire within their TTL.
        this.#logger?.warn('claude-auth: could not publish a key invalidation', {
          keyId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
