import type {
  ApiKeyPatch,
  ApiKeyRecord,
  KeyStore,
  ListKeysFilter,
  ListWorkspacesFilter,
  Page,
  RequestCountIncrement,
  SpendDebit,
  SpendDebitRef,
  SpendResult,
  VoidDebitResult,
  WorkspacePatch,
  WorkspaceRecord,
} from './key-store.js';
import { DuplicateRecordError, RecordNotFoundError } from './store-errors.js';
import { assertPeriod, assertRequestCounts } from './request-counts.js';
import {
  MemoryUsageTable,
  type UsageBucket,
  type UsageIncrement,
  type UsageQuery,
} from './usage-buckets.js';
import {
  DEBIT_ID_RETENTION_MS,
  assertDebitRef,
  assertSpendDebit,
  decodeCursor,
  encodeCursor,
  pageLimit,
} from './store-inputs.js';

/** Options of {@link MemoryKeyStore}. */
export interface MemoryKeyStoreOptions {
  /** Clock used by `findKeyByHash` when no `now` is passed (tests inject one). */
  now?: () => Date;
}

/** Newest first: `createdAt` descending, then `id` descending. */
function newestFirst(
  a: { createdAt: Date; id: string },
  b: { createdAt: Date; id: string },
): number {
  const dt = b.createdAt.getTime() - a.createdAt.getTime();
  if (dt !== 0) return dt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function paginate<T extends { createdAt: Date; id: string }>(
  items: T[],
  limit: number | undefined,
  after: string | undefined,
  copy: (item: T) => T,
): Page<T> {
  const size = pageLimit(limit);
  items.sort(newestFirst);
  let start = 0;
  if (after !== undefined) {
    const probe = decodeCursor(after);
    start = items.findIndex((item) => newestFirst(probe, item) < 0);
    if (start === -1) start = items.length;
  }
  const slice = items.slice(start, start + size);
  const hasMore = start + size < items.length;
  const last = slice.at(-1);
  return {
    data: slice.map(copy),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor(last) : null,
  };
}

/**
 * A {@link KeyStore} in process memory: for tests and single-process services. Every record it
 * returns is a deep copy, so callers can never change the store by mutating a result. Spend debits
 * are atomic (JavaScript runs them to completion).
 *
 * @example
 * ```ts
 * const store = new MemoryKeyStore();
 * const keys = new KeyManager({ store });
 * const { secret } = await keys.createKey({ name: 'Production' });
 * ```
 */
export class MemoryKeyStore implements KeyStore {
  readonly #now: () => Date;
  readonly #keys = new Map<string, ApiKeyRecord>();
  readonly #byHash = new Map<string, string>();
  readonly #byPreviousHash = new Map<string, string>();
  readonly #workspaces = new Map<string, WorkspaceRecord>();
  readonly #spend = new Map<string, number>();
  readonly #requests = new Map<string, number>();
  readonly #usage = new MemoryUsageTable();
  /** debitId → what happened to it (insertion order is age order, for pruning). */
  readonly #debits = new Map<
    string,
    { slot: string; amountMicros: number; state: 'applied' | 'voided'; at: number }
  >();

  constructor(options: MemoryKeyStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
  }

  async createKey(record: ApiKeyRecord): Promise<void> {
    if (this.#keys.has(record.id))
      throw new DuplicateRecordError('A key with this id already exists');
    if (
      this.#hashTaken(record.hash) ||
      (record.previousHash !== null && this.#hashTaken(record.previousHash))
    ) {
      throw new DuplicateRecordError('A key with this hash already exists');
    }
    if (record.workspaceId !== null && !this.#workspaces.has(record.workspaceId)) {
      throw new RecordNotFoundError('The key names a workspace that does not exist');
    }
    const copy = structuredClone(record);
    this.#keys.set(copy.id, copy);
    this.#index(copy);
  }

  async getKey(id: string): Promise<ApiKeyRecord | null> {
    const record = this.#keys.get(id);
    return record ? structuredClone(record) : null;
  }

  async findKeyByHash(hash: string, now: Date = this.#now()): Promise<ApiKeyRecord | null> {
    const id = this.#byHash.get(hash);
    if (id !== undefined) return structuredClone(this.#keys.get(id)!);
    const previousId = this.#byPreviousHash.get(hash);
    if (previousId === undefined) return null;
    const record = this.#keys.get(previousId)!;
    const until = record.previousHashExpiresAt;
    return until !== null && until.getTime() > now.getTime() ? structuredClone(record) : null;
  }

  async listKeys(filter: ListKeysFilter = {}): Promise<Page<ApiKeyRecord>> {
    const matches = [...this.#keys.values()].filter(
      (record) =>
        (filter.workspaceId === undefined || record.workspaceId === filter.workspaceId) &&
        (filter.status === undefined || record.status === filter.status),
    );
    return paginate(matches, filter.limit, filter.after, (record) => structuredClone(record));
  }

  async updateKey(id: string, patch: ApiKeyPatch): Promise<ApiKeyRecord | null> {
    const current = this.#keys.get(id);
    if (!current) return null;
    const next: ApiKeyRecord = { ...current, ...structuredClone(stripUndefined(patch)) };
    for (const hash of [next.hash, next.previousHash]) {
      if (
        hash !== null &&
        hash !== current.hash &&
        hash !== current.previousHash &&
        this.#hashTaken(hash)
      ) {
        throw new DuplicateRecordError('A key with this hash already exists');
      }
    }
    this.#unindex(current);
    this.#keys.set(id, next);
    this.#index(next);
    return structuredClone(next);
  }

  async deleteKey(id: string): Promise<boolean> {
    const current = this.#keys.get(id);
    if (!current) return false;
    this.#unindex(current);
    this.#keys.delete(id);
    return true;
  }

  async touchKeys(updates: ReadonlyArray<{ id: string; lastUsedAt: Date }>): Promise<void> {
    for (const { id, lastUsedAt } of updates) {
      const record = this.#keys.get(id);
      if (!record) continue;
      if (record.lastUsedAt === null || record.lastUsedAt.getTime() < lastUsedAt.getTime()) {
        record.lastUsedAt = new Date(lastUsedAt.getTime());
      }
    }
  }

  async createWorkspace(record: WorkspaceRecord): Promise<void> {
    if (this.#workspaces.has(record.id))
      throw new DuplicateRecordError('A workspace with this id already exists');
    this.#workspaces.set(record.id, structuredClone(record));
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | null> {
    const record = this.#workspaces.get(id);
    return record ? structuredClone(record) : null;
  }

  async listWorkspaces(filter: ListWorkspacesFilter = {}): Promise<Page<WorkspaceRecord>> {
    const matches = [...this.#workspaces.values()].filter(
      (workspace) => filter.includeArchived === true || workspace.status === 'active',
    );
    return paginate(matches, filter.limit, filter.after, (workspace) => structuredClone(workspace));
  }

  async updateWorkspace(id: string, patch: WorkspacePatch): Promise<WorkspaceRecord | null> {
    const current = this.#workspaces.get(id);
    if (!current) return null;
    const next: WorkspaceRecord = { ...current, ...structuredClone(stripUndefined(patch)) };
    this.#workspaces.set(id, next);
    return structuredClone(next);
  }

  async archiveWorkspace(
    id: string,
    at: Date,
  ): Promise<{ workspace: WorkspaceRecord; archivedKeyIds: string[] } | null> {
    const workspace = this.#workspaces.get(id);
    if (!workspace) return null;
    if (workspace.status !== 'archived') {
      workspace.status = 'archived';
      workspace.archivedAt = new Date(at.getTime());
    }
    const archivedKeyIds: string[] = [];
    for (const record of this.#keys.values()) {
      if (record.workspaceId === id && record.status !== 'archived') {
        record.status = 'archived';
        record.updatedAt = new Date(at.getTime());
        archivedKeyIds.push(record.id);
      }
    }
    return { workspace: structuredClone(workspace), archivedKeyIds };
  }

  async debitSpend(debit: SpendDebit): Promise<SpendResult> {
    assertSpendDebit(debit);
    const slot = `${debit.workspaceId}\u0000${debit.period}`;
    const before = this.#spend.get(slot) ?? 0;
    const seen = debit.debitId === undefined ? undefined : this.#debits.get(debit.debitId);
    if (seen !== undefined) return { applied: seen.state === 'applied', totalMicros: before };
    if (debit.force !== true && debit.limitMicros !== null && before >= debit.limitMicros) {
      return { applied: false, totalMicros: before };
    }
    const totalMicros = before + debit.amountMicros;
    this.#spend.set(slot, totalMicros);
    if (debit.debitId !== undefined) {
      this.#remember(debit.debitId, slot, debit.amountMicros, 'applied');
    }
    return { applied: true, totalMicros };
  }

  async voidDebit(ref: SpendDebitRef): Promise<VoidDebitResult> {
    assertDebitRef(ref);
    const seen = this.#debits.get(ref.debitId);
    if (seen === undefined) {
      const slot = `${ref.workspaceId}\u0000${ref.period}`;
      this.#remember(ref.debitId, slot, 0, 'voided');
      return { voided: false, totalMicros: this.#spend.get(slot) ?? 0 };
    }
    if (seen.state === 'voided')
      return { voided: false, totalMicros: this.#spend.get(seen.slot) ?? 0 };
    seen.state = 'voided';
    const totalMicros = (this.#spend.get(seen.slot) ?? 0) - seen.amountMicros;
    this.#spend.set(seen.slot, totalMicros);
    return { voided: true, totalMicros };
  }

  async getSpend(workspaceId: string, period: string): Promise<number> {
    return this.#spend.get(`${workspaceId}\u0000${period}`) ?? 0;
  }

  async addRequestCounts(counts: ReadonlyArray<RequestCountIncrement>): Promise<void> {
    assertRequestCounts(counts);
    for (const { workspaceId, period, requests } of counts) {
      const slot = `${workspaceId}\u0000${period}`;
      this.#requests.set(slot, (this.#requests.get(slot) ?? 0) + requests);
    }
  }

  async getRequestCount(workspaceId: string, period: string): Promise<number> {
    assertPeriod(period);
    return this.#requests.get(`${workspaceId}\u0000${period}`) ?? 0;
  }

  async addUsage(rows: ReadonlyArray<UsageIncrement>): Promise<void> {
    this.#usage.add(rows);
  }

  async listUsage(query: UsageQuery): Promise<UsageBucket[]> {
    return this.#usage.list(query);
  }

  async close(): Promise<void> {
    // Nothing to release.
  }

  #remember(
    debitId: string,
    slot: string,
    amountMicros: number,
    state: 'applied' | 'voided',
  ): void {
    const now = this.#now().getTime();
    // Forget ids older than the retention window (oldest first: Map keeps insertion order).
    for (const [id, entry] of this.#debits) {
      if (now - entry.at < DEBIT_ID_RETENTION_MS) break;
      this.#debits.delete(id);
    }
    this.#debits.set(debitId, { slot, amountMicros, state, at: now });
  }

  #hashTaken(hash: string): boolean {
    return this.#byHash.has(hash) || this.#byPreviousHash.has(hash);
  }

  #index(record: ApiKeyRecord): void {
    this.#byHash.set(record.hash, record.id);
    if (record.previousHash !== null) this.#byPreviousHash.set(record.previousHash, record.id);
  }

  #unindex(record: ApiKeyRecord): void {
    this.#byHash.delete(record.hash);
    if (record.previousHash !== null) this.#byPreviousHash.delete(record.previousHash);
  }
}

function stripUndefined<T extends object>(patch: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [field, value] of Object.entries(patch) as Array<[keyof T, T[keyof T]]>) {
    if (value !== undefined) out[field] = value;
  }
  return out;
}
