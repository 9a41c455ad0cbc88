/**
 * The contract every key store implements (memory, SQLite, PostgreSQL, ...). One shared
 * conformance suite (`@claude-auth/testing`) checks it. Stores persist only SHA-256 hashes of
 * secrets, never the secrets themselves.
 */
import type { UsageBucket, UsageIncrement, UsageQuery } from './usage-buckets.js';

/** `api` keys call the API; `admin` keys may also call admin routes. */
export type KeyKind = 'api' | 'admin';

/** What a store persists. `expired` is derived from `expiresAt`, never stored. */
export type StoredKeyStatus = 'active' | 'inactive' | 'archived';

/** The status shown to users: the stored one, or `expired` once `expiresAt` has passed. */
export type KeyStatus = StoredKeyStatus | 'expired';

/** A rate-limit policy: `rpm` requests per minute, with up to `burst` at once (default `rpm`). */
export interface RateLimitPolicy {
  rpm: number;
  burst?: number;
}

/** One API key as stored. Never contains the secret. */
export interface ApiKeyRecord {
  /** `key_` followed by base62. Stable across regenerations. */
  id: string;
  name: string;
  /** Prefix plus the last four characters, safe to show. */
  hint: string;
  /** Lower-case hex SHA-256 of the current secret. */
  hash: string;
  /** Hash of the secret replaced by the last regeneration, valid until `previousHashExpiresAt`. */
  previousHash: string | null;
  previousHashExpiresAt: Date | null;
  kind: KeyKind;
  /** e.g. `live`, `test`: keys only work in the environment they were made for. */
  environment: string;
  /** `null` for an organisation-wide key. */
  workspaceId: string | null;
  permissions: string[];
  status: StoredKeyStatus;
  createdAt: Date;
  createdBy: string | null;
  updatedAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  /** Per-key rate limit; `null` means the configured default. */
  rateLimit: RateLimitPolicy | null;
}

/** The fields `updateKey` may change. */
export type ApiKeyPatch = Partial<
  Pick<
    ApiKeyRecord,
    | 'name'
    | 'status'
    | 'hash'
    | 'hint'
    | 'previousHash'
    | 'previousHashExpiresAt'
    | 'permissions'
    | 'expiresAt'
    | 'rateLimit'
    | 'updatedAt'
  >
>;

export type WorkspaceStatus = 'active' | 'archived';

/** A workspace: segments keys and spend. */
export interface WorkspaceRecord {
  /** `wrkspc_` followed by base62. */
  id: string;
  name: string;
  status: WorkspaceStatus;
  createdAt: Date;
  archivedAt: Date | null;
  /** Monthly (UTC calendar month) spend limit in micro-dollars; `null` for none. */
  monthlySpendLimitMicros: number | null;
  /** Workspace-wide rate limit; `null` means the configured default. */
  rateLimit: RateLimitPolicy | null;
}

export type WorkspacePatch = Partial<
  Pick<WorkspaceRecord, 'name' | 'monthlySpendLimitMicros' | 'rateLimit'>
>;

/** A page of results; pass `nextCursor` back as `after` for the next page. */
export interface Page<T> {
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

export interface ListKeysFilter {
  workspaceId?: string | null;
  status?: StoredKeyStatus;
  /** 1 to 1000, default 100. */
  limit?: number;
  /** Cursor from a previous page. */
  after?: string;
}

export interface ListWorkspacesFilter {
  includeArchived?: boolean;
  limit?: number;
  after?: string;
}

/** One spend debit against a workspace's month. */
export interface SpendDebit {
  workspaceId: string;
  /** UTC month, `YYYY-MM`. */
  period: string;
  /** Positive integer micro-dollars. */
  amountMicros: number;
  /**
   * When set and `force` is not, the debit applies only if the total *before* it is below the
   * limit, so concurrent debits overshoot by at most one debit.
   */
  limitMicros: number | null;
  /** Record even past the limit (usage that already happened must never be dropped). */
  force?: boolean;
  /**
   * Makes the debit idempotent. A store applies a given id at most once: a repeat of an applied
   * debit returns `applied: true` and the current total without debiting again, and a debit
   * whose id was voided ({@link KeyStore.voidDebit}) never applies. A refused debit is not
   * remembered (a repeat decides again). 1 to 200 printable ASCII characters; the pipeline
   * derives it from the request id. Stores remember ids for at least 24 hours.
   */
  debitId?: string;
}

export interface SpendResult {
  applied: boolean;
  /** The period's total after this call. */
  totalMicros: number;
}

/** Names one debit made with a `debitId` (see {@link KeyStore.voidDebit}). */
export interface SpendDebitRef {
  workspaceId: string;
  /** UTC month, `YYYY-MM`, of the debit. */
  period: string;
  debitId: string;
}

/** The outcome of {@link KeyStore.voidDebit}. */
export interface VoidDebitResult {
  /** True when this call reversed an applied debit; false when there was nothing to reverse. */
  voided: boolean;
  /** The period's total after this call. */
  totalMicros: number;
}

/** Requests to add to a workspace's count for one month (see {@link KeyStore.addRequestCounts}). */
export interface RequestCountIncrement {
  workspaceId: string;
  /** UTC month, `YYYY-MM`. */
  period: string;
  /** Positive integer. */
  requests: number;
}

/**
 * Persistence for keys, workspaces and spend. Every method may reject with
 * `StoreUnavailableError` when the backing service cannot be reached; the pipeline turns that into
 * a 503, never a 401 or an accept.
 *
 * Missing records: reading, updating, deleting or archiving a record that does not exist is not
 * an error (`null`, or `false` for `deleteKey`); writing a record that *names* one that does not
 * exist is (`RecordNotFoundError`, reason `not_found`). Every store of this repository agrees, and
 * the conformance suite (`@claude-auth/testing`) checks the error types, not just a rejection.
 */
export interface KeyStore {
  /**
   * Inserts a new key. Rejects with `DuplicateRecordError` if the id or a hash (current or
   * previous) is taken, and with `RecordNotFoundError` if `workspaceId` names no workspace (an
   * archived one counts as existing).
   */
  createKey(record: ApiKeyRecord): Promise<void>;
  getKey(id: string): Promise<ApiKeyRecord | null>;
  /**
   * The key whose current `hash` equals `hash`, or whose `previousHash` equals it while
   * `previousHashExpiresAt` is in the future (relative to `now`).
   */
  findKeyByHash(hash: string, now?: Date): Promise<ApiKeyRecord | null>;
  /** Keys ordered by `createdAt` then `id`, newest first. */
  listKeys(filter?: ListKeysFilter): Promise<Page<ApiKeyRecord>>;
  /** Applies the patch and returns the updated record, or `null` if the key does not exist. */
  updateKey(id: string, patch: ApiKeyPatch): Promise<ApiKeyRecord | null>;
  deleteKey(id: string): Promise<boolean>;
  /** Sets `lastUsedAt` for each key to the max of its stored value and the given one (monotonic). */
  touchKeys(updates: ReadonlyArray<{ id: string; lastUsedAt: Date }>): Promise<void>;

  /** Inserts a new workspace; rejects with `DuplicateRecordError` if the id is taken. */
  createWorkspace(record: WorkspaceRecord): Promise<void>;
  getWorkspace(id: string): Promise<WorkspaceRecord | null>;
  listWorkspaces(filter?: ListWorkspacesFilter): Promise<Page<WorkspaceRecord>>;
  updateWorkspace(id: string, patch: WorkspacePatch): Promise<WorkspaceRecord | null>;
  /** Archives the workspace and archives all of its keys, atomically. Returns the keys archived. */
  archiveWorkspace(
    id: string,
    at: Date,
  ): Promise<{ workspace: WorkspaceRecord; archivedKeyIds: string[] } | null>;

  /** Atomically debits spend (see {@link SpendDebit}). */
  debitSpend(debit: SpendDebit): Promise<SpendResult>;
  /** Total spend of a workspace in a period (`YYYY-MM`), in micro-dollars. */
  getSpend(workspaceId: string, period: string): Promise<number>;
  /**
   * Cancels the debit `ref.debitId`, atomically: reverses it if it was applied, and remembers the
   * id as void so that the same debit arriving later (a retry, or a write still in flight when
   * its caller gave up) never applies. Idempotent. Used when a debit's outcome is unknown (a
   * timeout) and the request was refused, so a refused request is never charged. Optional for
   * custom stores; every store in this repository implements it.
   */
  voidDebit?(ref: SpendDebitRef): Promise<VoidDebitResult>;

  /**
   * Atomically adds each increment to its workspace's request count for the period: all of the
   * batch or none of it. Increments from any number of instances add up exactly. Rejects the
   * whole batch (`InvalidRequestError`) when an entry has an empty workspace id, a period that is
   * not `YYYY-MM`, or a `requests` that is not a positive safe integer. The workspace need not
   * exist.
   */
  addRequestCounts(counts: ReadonlyArray<RequestCountIncrement>): Promise<void>;
  /** Requests counted for a workspace in a period (`YYYY-MM`); 0 when none. */
  getRequestCount(workspaceId: string, period: string): Promise<number>;

  /**
   * Adds usage (requests, tokens, cost) to hourly buckets per key × workspace × model, creating
   * them as needed; increments from any number of instances add up. Every store implements it
   * (memory, SQLite, PostgreSQL); the usage conformance cases check it.
   */
  addUsage(rows: ReadonlyArray<UsageIncrement>): Promise<void>;
  /** Usage buckets in `[from, to)`, optionally for one workspace, key or model. */
  listUsage(query: UsageQuery): Promise<UsageBucket[]>;

  /** Releases connections. */
  close?(): Promise<void>;
}

export { StoreUnavailableError } from './store-errors.js';
