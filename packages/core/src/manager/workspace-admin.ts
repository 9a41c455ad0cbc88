import { InvalidRequestError, NotFoundError } from '../errors/claude-auth-error.js';
import type { Logger } from '../auth/types.js';
import { newWorkspaceId } from '../keys/ids.js';
import { DEFAULT_ENVIRONMENT, DEFAULT_ISSUER, generateApiKey } from '../keys/key-format.js';
import type { InvalidationBus } from '../store/invalidation-bus.js';
import type {
  KeyStore,
  ListWorkspacesFilter,
  Page,
  RateLimitPolicy,
  WorkspaceRecord,
} from '../store/key-store.js';
import { microsToUsd, spendPeriod, usdToMicros } from './money.js';
import { UsageRecorder } from './usage-recorder.js';
import { validateName, validateRateLimit } from './validation.js';

import type {
  CreateWorkspaceInput,
  KeyManagerOptions,
  WorkspaceUsage,
} from './key-manager-types.js';

/** The message of a `NotFoundError` for an unknown key. */
export const KEY_NOT_FOUND = 'API key not found';
const WORKSPACE_NOT_FOUND = 'Workspace not found';

/**
 * What `KeyManager` is built on: its options, usage recording, invalidation publishing and the
 * workspace administration (create, rename, limits, archive, usage). Use `KeyManager`.
 *
 * @example
 * ```ts
 * const keys = new KeyManager({ store: new MemoryKeyStore() });
 * const workspace = await keys.createWorkspace({ name: 'Research', monthlySpendLimitUsd: 100 });
 * ```
 */
export class WorkspaceAdmin {
  readonly store: KeyStore;
  /** The bus this manager publishes key changes on (share it with the authenticator). */
  readonly invalidation: InvalidationBus | undefined;
  protected readonly env: string;
  protected readonly issuer: string;
  protected readonly clock: () => Date;
  protected readonly usage: UsageRecorder;
  protected readonly logger: Logger | undefined;

  constructor(options: KeyManagerOptions) {
    if (!options || typeof options.store !== 'object' || options.store === null) {
      throw new TypeError('KeyManager: options.store is required');
    }
    this.store = options.store;
    this.invalidation = options.invalidation;
    this.env = options.environment ?? DEFAULT_ENVIRONMENT;
    this.issuer = options.issuer ?? DEFAULT_ISSUER;
    // Fail fast on a bad issuer or environment: generateApiKey throws ConfigurationError.
    generateApiKey({ issuer: this.issuer, environment: this.env });
    this.clock = options.now ?? (() => new Date());
    const logger = options.logger;
    this.logger = logger;
    this.usage = new UsageRecorder({
      store: this.store,
      now: this.clock,
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
    return this.env;
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
      createdAt: this.clock(),
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
    await this.activeWorkspace(id);
    return this.#updateWorkspace(id, { name: valid });
  }

  /** Sets (USD) or clears (`null`) an active workspace's monthly spend limit. */
  async setWorkspaceSpendLimit(id: string, usd: number | null): Promise<WorkspaceRecord> {
    const micros = usd === null ? null : usdToMicros(usd);
    await this.activeWorkspace(id);
    return this.#updateWorkspace(id, { monthlySpendLimitMicros: micros });
  }

  /** Sets or clears (`null`) an active workspace's rate limit. */
  async setWorkspaceRateLimit(
    id: string,
    policy: RateLimitPolicy | null,
  ): Promise<WorkspaceRecord> {
    const valid = validateRateLimit(policy);
    await this.activeWorkspace(id);
    return this.#updateWorkspace(id, { rateLimit: valid });
  }

  /**
   * Archives a workspace and, atomically, all of its keys; the workspace and its keys are
   * invalidated in every cache (so organisation-wide keys are refused there at once, even when
   * the workspace had no keys of its own).
   */
  async archiveWorkspace(id: string): Promise<WorkspaceRecord> {
    const result = await this.store.archiveWorkspace(id, this.clock());
    if (!result) throw new NotFoundError(WORKSPACE_NOT_FOUND);
    await this.invalidateWorkspace(id);
    await this.invalidate(result.archivedKeyIds);
    return result.workspace;
  }

  /**
   * A workspace's spend and requests in the month containing `at` (default: now). `requests`
   * adds this process's unwritten count to the store's.
   */
  async getWorkspaceUsage(id: string, at: Date = this.clock()): Promise<WorkspaceUsage> {
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
      requests: storedRequests + this.usage.pendingRequests(id, period),
    };
  }

  /** An active workspace; else `NotFoundError`, or `InvalidRequestError` naming `field`. */
  protected async activeWorkspace(id: string, field?: string): Promise<WorkspaceRecord> {
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
    await this.invalidateWorkspace(id);
    return updated;
  }

  /** Publishes a workspace change; like a key's, a failure to publish is logged, never thrown. */
  protected async invalidateWorkspace(workspaceId: string): Promise<void> {
    if (!this.invalidation) return;
    try {
      await this.invalidation.publish({ workspaceId });
    } catch (error) {
      this.logger?.warn('claude-auth: could not publish a workspace invalidation', {
        workspaceId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Publishes key invalidations; a failure to publish is logged, never thrown. */
  protected async invalidate(keyIds: readonly string[]): Promise<void> {
    if (!this.invalidation) return;
    for (const keyId of keyIds) {
      try {
        await this.invalidation.publish({ keyId });
      } catch (error) {
        // The store change stands; caches still expire within their TTL.
        this.logger?.warn('claude-auth: could not publish a key invalidation', {
          keyId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
