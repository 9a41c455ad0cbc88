/** Usage per key × workspace × model in hourly buckets: the types, validation and an in-memory table. */
import { InvalidRequestError } from '../errors/claude-auth-error.js';

/** Usage to add to one bucket (see `KeyStore.addUsage`). Counts are non-negative safe integers. */
export interface UsageIncrement {
  keyId: string;
  /** The workspace the requests acted in, `null` for none (organisation-wide). */
  workspaceId: string | null;
  model: string;
  /** The bucket's start: a UTC hour, `YYYY-MM-DDTHH:00:00Z` (see {@link usageBucketStart}). */
  bucket: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** Cost in nano-dollars (1e-9 USD), so that tiny calls add up exactly. */
  costNanos: number;
}

/** One stored bucket: the sums of every increment for its key, workspace, model and hour. */
export type UsageBucket = UsageIncrement;

/** Which buckets `KeyStore.listUsage` returns: `from` ≤ bucket < `to`, optionally narrowed. */
export interface UsageQuery {
  /** Inclusive, a bucket start or any ISO instant. */
  from: string;
  /** Exclusive. */
  to: string;
  workspaceId?: string;
  keyId?: string;
  model?: string;
}

const BUCKET_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/;
const COUNTERS = [
  'requests',
  'inputTokens',
  'outputTokens',
  'cacheCreationInputTokens',
  'cacheReadInputTokens',
  'costNanos',
] as const;

/**
 * The start of the UTC hour holding `at`, as stored in `bucket`.
 *
 * @example
 * ```ts
 * usageBucketStart(new Date('2026-11-30T09:41:07Z')); // '2026-11-30T09:00:00Z'
 * ```
 */
export function usageBucketStart(at: Date): string {
  return `${at.toISOString().slice(0, 13)}:00:00Z`;
}

/**
 * Checks an `addUsage` batch before any of it is applied; throws `InvalidRequestError` naming
 * the first bad field. Stores call it so every implementation rejects the same inputs.
 *
 * @example
 * ```ts
 * assertUsageIncrements([{ keyId: 'key_1', workspaceId: null, model: 'm', bucket: '2026-11-30T09:00:00Z', requests: 1, inputTokens: 3, outputTokens: 5, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, costNanos: 84000 }]);
 * ```
 */
export function assertUsageIncrements(
  rows: unknown,
): asserts rows is ReadonlyArray<UsageIncrement> {
  if (!Array.isArray(rows)) throw new InvalidRequestError('Usage must be an array');
  for (const row of rows as unknown[]) {
    if (typeof row !== 'object' || row === null) {
      throw new InvalidRequestError('Each usage entry must be an object');
    }
    const r = row as Record<string, unknown>;
    if (typeof r.keyId !== 'string' || r.keyId.length === 0 || r.keyId.length > 255) {
      throw new InvalidRequestError('usage keyId must be a non-empty string');
    }
    if (r.workspaceId !== null && (typeof r.workspaceId !== 'string' || r.workspaceId === '')) {
      throw new InvalidRequestError('usage workspaceId must be a workspace id or null');
    }
    if (typeof r.model !== 'string' || r.model.length === 0 || r.model.length > 255) {
      throw new InvalidRequestError('usage model must be a string of 1 to 255 characters');
    }
    if (typeof r.bucket !== 'string' || !BUCKET_PATTERN.test(r.bucket)) {
      throw new InvalidRequestError('usage bucket must be a UTC hour, YYYY-MM-DDTHH:00:00Z');
    }
    for (const name of COUNTERS) {
      const value = r[name];
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new InvalidRequestError(`usage ${name} must be a non-negative integer`);
      }
    }
  }
}

/**
 * Checks a `listUsage` query; throws `InvalidRequestError` for a bad bound.
 *
 * @example
 * ```ts
 * assertUsageQuery({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' });
 * ```
 */
export function assertUsageQuery(query: unknown): asserts query is UsageQuery {
  if (typeof query !== 'object' || query === null) {
    throw new InvalidRequestError('Usage query must be an object');
  }
  const { from, to } = query as Partial<Record<string, unknown>>;
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      throw new InvalidRequestError(`usage ${name} must be an ISO 8601 instant`);
    }
  }
}

/** The identity of a bucket, as one string. */
function slotOf(row: UsageIncrement): string {
  return `${row.keyId}\u0000${row.workspaceId ?? ''}\u0000${row.model}\u0000${row.bucket}`;
}

/**
 * Usage buckets in memory: what `MemoryKeyStore` keeps (and a model for the other stores).
 *
 * @example
 * ```ts
 * const table = new MemoryUsageTable();
 * table.add(rows);
 * table.list({ from: '2026-11-30T00:00:00Z', to: '2026-12-01T00:00:00Z' });
 * ```
 */
export class MemoryUsageTable {
  readonly #rows = new Map<string, UsageBucket>();

  /** Adds a validated batch. */
  add(rows: ReadonlyArray<UsageIncrement>): void {
    assertUsageIncrements(rows);
    for (const row of rows) {
      const slot = slotOf(row);
      const current = this.#rows.get(slot);
      if (current === undefined) {
        this.#rows.set(slot, { ...row });
        continue;
      }
      for (const name of COUNTERS) current[name] += row[name];
    }
  }

  /** Buckets in `[from, to)`, filtered, ordered by bucket, key, workspace and model. */
  list(query: UsageQuery): UsageBucket[] {
    assertUsageQuery(query);
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    const result: UsageBucket[] = [];
    for (const row of this.#rows.values()) {
      const at = Date.parse(row.bucket);
      if (at < from || at >= to) continue;
      if (query.workspaceId !== undefined && row.workspaceId !== query.workspaceId) continue;
      if (query.keyId !== undefined && row.keyId !== query.keyId) continue;
      if (query.model !== undefined && row.model !== query.model) continue;
      result.push({ ...row });
    }
    return result.sort(compareBuckets);
  }
}

/**
 * The order `listUsage` returns buckets in: bucket, key id, workspace id (none first), model.
 *
 * @example
 * ```ts
 * rows.sort(compareBuckets);
 * ```
 */
export function compareBuckets(a: UsageBucket, b: UsageBucket): number {
  return (
    cmp(a.bucket, b.bucket) ||
    cmp(a.keyId, b.keyId) ||
    cmp(a.workspaceId ?? '', b.workspaceId ?? '') ||
    cmp(a.model, b.model)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
