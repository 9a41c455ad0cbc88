import { ConfigurationError, type Logger } from '@claude-auth/core';
import {
  StoreUnavailableError,
  type ApiKeyRecord,
  type KeyStore,
  type WorkspaceRecord,
  DEBIT_ID_RETENTION_MS,
  assertDebitRef,
  assertPeriod,
  assertRequestCounts,
  assertSpendDebit,
  assertUsageIncrements,
  assertUsageQuery,
  decodeCursor,
  encodeCursor,
  pageLimit,
  type ApiKeyPatch,
  type ListKeysFilter,
  type ListWorkspacesFilter,
  type Page,
  type RequestCountIncrement,
  type SpendDebit,
  type SpendDebitRef,
  type SpendResult,
  type UsageBucket,
  type UsageIncrement,
  type UsageQuery,
  type VoidDebitResult,
  type WorkspacePatch,
  DuplicateRecordError,
  RecordNotFoundError,
} from '@claude-auth/core/store';
import pg, { type Pool, type PoolClient, type QueryResultRow } from 'pg';
import { isLostConnection, mapPgError, pgFailureReason } from './map-pg-error.js';
import { runMigrations } from './migrations.js';
import {
  keyFromRow,
  parseBigint,
  workspaceFromRow,
  type ApiKeyRow,
  type WorkspaceRow,
} from './rows.js';

/** Options of {@link PostgresKeyStore.connect}. */
export interface PostgresConnectOptions {
  /** `postgres://user:password@host:5432/db`. Never logged or put in an error message. */
  connectionString: string;
  /** Schema holding the tables; created if missing. Default `claude_auth`. */
  schema?: string;
  /** Maximum pooled connections. Default 10. */
  poolSize?: number;
  /** Server-side `statement_timeout`; a slower statement fails with `StoreUnavailableError`. Default 5000. */
  statementTimeoutMs?: number;
  /** How long to wait for a connection (new or from the pool). Default 5000. */
  connectionTimeoutMs?: number;
  /** Run migrations on connect. Default `true`. */
  migrate?: boolean;
  /** Receives idle-connection errors (which would otherwise crash the process). */
  logger?: Logger;
}

/** Options of the {@link PostgresKeyStore} constructor. */
export interface PostgresKeyStoreOptions {
  /** Schema holding the tables. Default `claude_auth`. */
  schema?: string;
  /** Whether `close()` ends the pool. Default `false` for a pool you pass in. */
  ownsPool?: boolean;
  logger?: Logger;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Column of `api_keys` each patchable field maps to. */
const KEY_COLUMNS = {
  name: 'name',
  status: 'status',
  hash: 'hash',
  hint: 'hint',
  previousHash: 'previous_hash',
  previousHashExpiresAt: 'previous_hash_expires_at',
  permissions: 'permissions',
  expiresAt: 'expires_at',
  rateLimit: 'rate_limit',
  updatedAt: 'updated_at',
} as const satisfies Record<keyof ApiKeyPatch, string>;

const WORKSPACE_COLUMNS = {
  name: 'name',
  monthlySpendLimitMicros: 'monthly_spend_limit_micros',
  rateLimit: 'rate_limit',
} as const satisfies Record<keyof WorkspacePatch, string>;

const JSON_COLUMNS = new Set(['rate_limit']);

/** Thrown when a key with the same id or hash, or a workspace with the same id, already exists. */
function conflict(error: unknown): unknown {
  if (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === '23505'
  ) {
    return new DuplicateRecordError('A record with this id or key hash already exists', {
      cause: error,
    });
  }
  return error;
}

function validateSchema(schema: string): string {
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new ConfigurationError('PostgreSQL schema must match /^[a-z_][a-z0-9_]{0,62}$/', {
      field: 'schema',
    });
  }
  return pg.escapeIdentifier(schema);
}

/**
 * A {@link KeyStore} on PostgreSQL: the system of record when many service instances share keys.
 * Parameterised SQL only; `timestamptz` columns; spend in `bigint` micro-dollars; spend debits,
 * workspace archiving, `last_used_at` updates and request-count batches are each atomic. Unreachable servers, pool
 * timeouts and statement timeouts surface as `StoreUnavailableError` (a 503), never as a wrong
 * answer, and never with the connection string in the message.
 *
 * @example
 * ```ts
 * import { PostgresKeyStore } from '@claude-auth/postgres';
 *
 * const store = await PostgresKeyStore.connect({ connectionString: process.env.DATABASE_URL! });
 * const auth = createAuthenticator({ store });
 * // ...
 * await store.close();
 * ```
 */
export class PostgresKeyStore implements KeyStore {
  /** The pool queries run on. */
  readonly pool: Pool;
  /** The schema the tables live in. */
  readonly schema: string;
  readonly #s: string;
  readonly #ownsPool: boolean;
  #closed = false;
  #debitsSincePrune = 0;

  /**
   * Wraps an existing pool (you keep ownership unless `ownsPool`). Call {@link migrate} once
   * before use, or use {@link PostgresKeyStore.connect}, which does.
   *
   * @example
   * ```ts
   * const store = new PostgresKeyStore(new pg.Pool({ connectionString }), { schema: 'auth' });
   * await store.migrate();
   * ```
   */
  constructor(pool: Pool, options: PostgresKeyStoreOptions = {}) {
    this.schema = options.schema ?? 'claude_auth';
    this.#s = validateSchema(this.schema);
    this.pool = pool;
    this.#ownsPool = options.ownsPool ?? false;
  }

  /**
   * Opens a pool with bounded timeouts, migrates the schema (safe when many instances start at
   * once) and returns the store. Rejects with `StoreUnavailableError` when PostgreSQL cannot be
   * reached within `connectionTimeoutMs`.
   *
   * @example
   * ```ts
   * const store = await PostgresKeyStore.connect({
   *   connectionString: 'postgres://postgres@127.0.0.1:5432/app',
   *   schema: 'claude_auth',
   *   statementTimeoutMs: 2000,
   * });
   * ```
   */
  static async connect(options: PostgresConnectOptions): Promise<PostgresKeyStore> {
    const statementTimeoutMs = positiveInt(
      options.statementTimeoutMs ?? 5000,
      'statementTimeoutMs',
    );
    const connectionTimeoutMs = positiveInt(
      options.connectionTimeoutMs ?? 5000,
      'connectionTimeoutMs',
    );
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: positiveInt(options.poolSize ?? 10, 'poolSize'),
      connectionTimeoutMillis: connectionTimeoutMs,
      statement_timeout: statementTimeoutMs,
      // Client-side backstop for a server that stops answering mid-query.
      query_timeout: statementTimeoutMs + 1000,
      idleTimeoutMillis: 30_000,
      application_name: 'claude-auth',
    });
    pool.on('error', (error: Error & { code?: string }) => {
      const reason = pgFailureReason(error);
      options.logger?.warn(`PostgreSQL idle connection error (${reason})`, { code: reason });
    });
    const store = new PostgresKeyStore(pool, {
      schema: options.schema,
      ownsPool: true,
      logger: options.logger,
    });
    if (options.migrate !== false) {
      try {
        await store.migrate();
      } catch (error) {
        await store.close();
        throw error;
      }
    }
    return store;
  }

  /**
   * Creates the schema and applies pending migrations under `pg_advisory_xact_lock`; idempotent
   * and safe to run concurrently. Returns the versions applied (empty when up to date).
   *
   * @example
   * ```ts
   * const applied = await store.migrate(); // [1] on a fresh database, [] afterwards
   * ```
   */
  async migrate(): Promise<number[]> {
    const client = await this.#client();
    try {
      return await runMigrations(client, this.schema, this.#s);
    } catch (error) {
      throw mapPgError(error);
    } finally {
      client.release();
    }
  }

  async createKey(record: ApiKeyRecord): Promise<void> {
    // No foreign key in the schema: check here, like the other stores (workspaces are archived,
    // never deleted, so nothing can remove the workspace between the check and the insert).
    if (record.workspaceId !== null) {
      const { rows } = await this.#idempotent(`SELECT 1 FROM ${this.#s}.workspaces WHERE id = $1`, [
        record.workspaceId,
      ]);
      if (rows.length === 0) {
        throw new RecordNotFoundError('The key names a workspace that does not exist');
      }
    }
    await this.#query(
      `INSERT INTO ${this.#s}.api_keys (id, name, hint, hash, previous_hash, previous_hash_expires_at, kind,
         environment, workspace_id, permissions, status, created_at, created_by, updated_at, last_used_at,
         expires_at, rate_limit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        record.id,
        record.name,
        record.hint,
        record.hash,
        record.previousHash,
        record.previousHashExpiresAt,
        record.kind,
        record.environment,
        record.workspaceId,
        record.permissions,
        record.status,
        record.createdAt,
        record.createdBy,
        record.updatedAt,
        record.lastUsedAt,
        record.expiresAt,
        jsonOrNull(record.rateLimit),
      ],
    ).catch((error: unknown) => {
      throw conflict(error);
    });
  }

  async getKey(id: string): Promise<ApiKeyRecord | null> {
    const { rows } = await this.#idempotent<ApiKeyRow>(
      `SELECT * FROM ${this.#s}.api_keys WHERE id = $1`,
      [id],
    );
    return rows[0] ? keyFromRow(rows[0]) : null;
  }

  async findKeyByHash(hash: string, now: Date = new Date()): Promise<ApiKeyRecord | null> {
    const { rows } = await this.#idempotent<ApiKeyRow>(
      `SELECT * FROM (
         SELECT *, 0 AS rank FROM ${this.#s}.api_keys WHERE hash = $1
         UNION ALL
         SELECT *, 1 AS rank FROM ${this.#s}.api_keys WHERE previous_hash = $1 AND previous_hash_expires_at > $2
       ) found ORDER BY rank LIMIT 1`,
      [hash, now],
    );
    return rows[0] ? keyFromRow(rows[0]) : null;
  }

  async listKeys(filter: ListKeysFilter = {}): Promise<Page<ApiKeyRecord>> {
    const limit = pageLimit(filter.limit);
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.workspaceId === null) where.push('workspace_id IS NULL');
    else if (filter.workspaceId !== undefined)
      where.push(`workspace_id = $${values.push(filter.workspaceId)}`);
    if (filter.status !== undefined) where.push(`status = $${values.push(filter.status)}`);
    if (filter.after !== undefined) {
      const cursor = decodeCursor(filter.after);
      where.push(
        `(created_at, id) < ($${values.push(cursor.createdAt)}, $${values.push(cursor.id)})`,
      );
    }
    const { rows } = await this.#idempotent<ApiKeyRow>(
      `SELECT * FROM ${this.#s}.api_keys ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${values.push(limit + 1)}`,
      values,
    );
    return page(rows.map(keyFromRow), limit);
  }

  async updateKey(id: string, patch: ApiKeyPatch): Promise<ApiKeyRecord | null> {
    const { sets, values } = buildSet(patch, KEY_COLUMNS);
    if (sets.length === 0) return this.getKey(id);
    values.push(id);
    const { rows } = await this.#query<ApiKeyRow>(
      `UPDATE ${this.#s}.api_keys SET ${sets.join(', ')} WHERE id = $${values.length} RETURNING *`,
      values,
    ).catch((error: unknown) => {
      throw conflict(error);
    });
    return rows[0] ? keyFromRow(rows[0]) : null;
  }

  async deleteKey(id: string): Promise<boolean> {
    const { rowCount } = await this.#query(`DELETE FROM ${this.#s}.api_keys WHERE id = $1`, [id]);
    return (rowCount ?? 0) > 0;
  }

  async touchKeys(updates: ReadonlyArray<{ id: string; lastUsedAt: Date }>): Promise<void> {
    if (updates.length === 0) return;
    // One statement: duplicates collapse to their latest time, and GREATEST never moves backwards.
    await this.#query(
      `UPDATE ${this.#s}.api_keys AS k
       SET last_used_at = GREATEST(k.last_used_at, u.last_used_at)
       FROM (
         SELECT id, max(last_used_at) AS last_used_at
         FROM unnest($1::text[], $2::timestamptz[]) AS t(id, last_used_at)
         GROUP BY id
       ) AS u
       WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.last_used_at)`,
      [updates.map((u) => u.id), updates.map((u) => u.lastUsedAt)],
    );
  }

  async createWorkspace(record: WorkspaceRecord): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#s}.workspaces (id, name, status, created_at, archived_at, monthly_spend_limit_micros, rate_limit)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        record.id,
        record.name,
        record.status,
        record.createdAt,
        record.archivedAt,
        record.monthlySpendLimitMicros,
        jsonOrNull(record.rateLimit),
      ],
    ).catch((error: unknown) => {
      throw conflict(error);
    });
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | null> {
    const { rows } = await this.#idempotent<WorkspaceRow>(
      `SELECT * FROM ${this.#s}.workspaces WHERE id = $1`,
      [id],
    );
    return rows[0] ? workspaceFromRow(rows[0]) : null;
  }

  async listWorkspaces(filter: ListWorkspacesFilter = {}): Promise<Page<WorkspaceRecord>> {
    const limit = pageLimit(filter.limit);
    const where: string[] = [];
    const values: unknown[] = [];
    if (!filter.includeArchived) where.push(`status = 'active'`);
    if (filter.after !== undefined) {
      const cursor = decodeCursor(filter.after);
      where.push(
        `(created_at, id) < ($${values.push(cursor.createdAt)}, $${values.push(cursor.id)})`,
      );
    }
    const { rows } = await this.#idempotent<WorkspaceRow>(
      `SELECT * FROM ${this.#s}.workspaces ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${values.push(limit + 1)}`,
      values,
    );
    return page(rows.map(workspaceFromRow), limit);
  }

  async updateWorkspace(id: string, patch: WorkspacePatch): Promise<WorkspaceRecord | null> {
    const { sets, values } = buildSet(patch, WORKSPACE_COLUMNS);
    if (sets.length === 0) return this.getWorkspace(id);
    values.push(id);
    const { rows } = await this.#query<WorkspaceRow>(
      `UPDATE ${this.#s}.workspaces SET ${sets.join(', ')} WHERE id = $${values.length} RETURNING *`,
      values,
    );
    return rows[0] ? workspaceFromRow(rows[0]) : null;
  }

  async archiveWorkspace(
    id: string,
    at: Date,
  ): Promise<{ workspace: WorkspaceRecord; archivedKeyIds: string[] } | null> {
    return this.#transaction(async (client) => {
      const { rows } = await client.query<WorkspaceRow>(
        `UPDATE ${this.#s}.workspaces
         SET status = 'archived', archived_at = COALESCE(archived_at, $2)
         WHERE id = $1 RETURNING *`,
        [id, at],
      );
      const row = rows[0];
      if (!row) return null;
      const keys = await client.query<{ id: string }>(
        `UPDATE ${this.#s}.api_keys SET status = 'archived', updated_at = $2
         WHERE workspace_id = $1 AND status <> 'archived' RETURNING id`,
        [id, at],
      );
      return { workspace: workspaceFromRow(row), archivedKeyIds: keys.rows.map((k) => k.id) };
    });
  }

  async debitSpend(debit: SpendDebit): Promise<SpendResult> {
    assertSpendDebit(debit);
    const limit = debit.force || debit.limitMicros === null ? null : debit.limitMicros;
    // One atomic statement: the row lock taken by ON CONFLICT serialises concurrent debits, and the
    // WHERE clauses apply the debit only while the total before it is below the limit.
    const sql = `INSERT INTO ${this.#s}.spend AS s (workspace_id, period, total_micros)
       SELECT $1, $2, $3::bigint WHERE $4::bigint IS NULL OR $4::bigint > 0
       ON CONFLICT (workspace_id, period) DO UPDATE
         SET total_micros = s.total_micros + EXCLUDED.total_micros, updated_at = now()
         WHERE $4::bigint IS NULL OR s.total_micros < $4::bigint
       RETURNING total_micros`;
    const values = [debit.workspaceId, debit.period, debit.amountMicros, limit];
    const { debitId } = debit;
    if (debitId === undefined) {
      const { rows } = await this.#query<{ total_micros: string }>(sql, values);
      if (rows[0]) return { applied: true, totalMicros: parseBigint(rows[0].total_micros) };
      return { applied: false, totalMicros: await this.getSpend(debit.workspaceId, debit.period) };
    }
    this.#maybePruneDebits();
    // With an id, still ONE statement (so a timeout leaves it either committed or not, never
    // half-done): skip when the id is known, else debit and remember the id. Two racing debits of
    // one id both pass the `prior` check; the second then violates the id's primary key, which
    // rolls its whole statement back, and the retry sees the first.
    const withId = `WITH prior AS (
         SELECT state FROM ${this.#s}.spend_debits WHERE debit_id = $5
       ), debit AS (
         INSERT INTO ${this.#s}.spend AS s (workspace_id, period, total_micros)
         SELECT $1, $2, $3::bigint
         WHERE NOT EXISTS (SELECT 1 FROM prior) AND ($4::bigint IS NULL OR $4::bigint > 0)
         ON CONFLICT (workspace_id, period) DO UPDATE
           SET total_micros = s.total_micros + EXCLUDED.total_micros, updated_at = now()
           WHERE $4::bigint IS NULL OR s.total_micros < $4::bigint
         RETURNING total_micros
       ), mark AS (
         INSERT INTO ${this.#s}.spend_debits (debit_id, workspace_id, period, amount_micros, state)
         SELECT $5, $1, $2, $3::bigint, 'applied' FROM debit
       )
       SELECT (SELECT state FROM prior) AS prior, (SELECT total_micros FROM debit) AS total_micros`;
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await this.#idempotent<{
          prior: string | null;
          total_micros: string | null;
        }>(withId, [...values, debitId]);
        const row = rows[0];
        if (row?.total_micros != null) {
          return { applied: true, totalMicros: parseBigint(row.total_micros) };
        }
        const totalMicros = await this.getSpend(debit.workspaceId, debit.period);
        return { applied: row?.prior === 'applied', totalMicros };
      } catch (error) {
        if (attempt < 3 && (error as { code?: unknown }).code === '23505') continue;
        throw error;
      }
    }
  }

  async voidDebit(ref: SpendDebitRef): Promise<VoidDebitResult> {
    assertDebitRef(ref);
    return this.#transaction(async (client) => {
      // Lock the period's spend row first (creating it at 0 if needed), as a debit does, so a
      // void racing a debit of the same id waits for it instead of deadlocking with it.
      await client.query(
        `INSERT INTO ${this.#s}.spend (workspace_id, period, total_micros) VALUES ($1, $2, 0)
         ON CONFLICT (workspace_id, period) DO NOTHING`,
        [ref.workspaceId, ref.period],
      );
      await client.query(
        `SELECT 1 FROM ${this.#s}.spend WHERE workspace_id = $1 AND period = $2 FOR UPDATE`,
        [ref.workspaceId, ref.period],
      );
      const tombstone = await client.query(
        `INSERT INTO ${this.#s}.spend_debits (debit_id, workspace_id, period, amount_micros, state)
         VALUES ($1, $2, $3, 0, 'voided') ON CONFLICT (debit_id) DO NOTHING`,
        [ref.debitId, ref.workspaceId, ref.period],
      );
      if (tombstone.rowCount === 1) {
        return {
          voided: false,
          totalMicros: await this.#total(client, ref.workspaceId, ref.period),
        };
      }
      const { rows } = await client.query<{
        workspace_id: string;
        period: string;
        amount_micros: string;
      }>(
        `UPDATE ${this.#s}.spend_debits SET state = 'voided'
         WHERE debit_id = $1 AND state = 'applied'
         RETURNING workspace_id, period, amount_micros`,
        [ref.debitId],
      );
      const row = rows[0];
      if (!row) {
        return {
          voided: false,
          totalMicros: await this.#total(client, ref.workspaceId, ref.period),
        };
      }
      const after = await client.query<{ total_micros: string }>(
        `UPDATE ${this.#s}.spend SET total_micros = total_micros - $3::bigint, updated_at = now()
         WHERE workspace_id = $1 AND period = $2 RETURNING total_micros`,
        [row.workspace_id, row.period, row.amount_micros],
      );
      return {
        voided: true,
        totalMicros: after.rows[0] ? parseBigint(after.rows[0].total_micros) : 0,
      };
    });
  }

  async #total(client: PoolClient, workspaceId: string, period: string): Promise<number> {
    const { rows } = await client.query<{ total_micros: string }>(
      `SELECT total_micros FROM ${this.#s}.spend WHERE workspace_id = $1 AND period = $2`,
      [workspaceId, period],
    );
    return rows[0] ? parseBigint(rows[0].total_micros) : 0;
  }

  /** Every 1000 debits with an id, forgets ids older than `DEBIT_ID_RETENTION_MS` (in the background). */
  #maybePruneDebits(): void {
    if (++this.#debitsSincePrune < 1000) return;
    this.#debitsSincePrune = 0;
    this.#query(`DELETE FROM ${this.#s}.spend_debits WHERE created_at < $1`, [
      new Date(Date.now() - DEBIT_ID_RETENTION_MS),
    ]).catch(() => undefined);
  }

  async getSpend(workspaceId: string, period: string): Promise<number> {
    assertPeriod(period);
    const { rows } = await this.#idempotent<{ total_micros: string }>(
      `SELECT total_micros FROM ${this.#s}.spend WHERE workspace_id = $1 AND period = $2`,
      [workspaceId, period],
    );
    return rows[0] ? parseBigint(rows[0].total_micros) : 0;
  }

  async addRequestCounts(counts: ReadonlyArray<RequestCountIncrement>): Promise<void> {
    assertRequestCounts(counts);
    if (counts.length === 0) return;
    // One atomic statement: duplicates collapse (ON CONFLICT may touch a row only once), and rows
    // are locked in key order, so concurrent batches from many instances never deadlock.
    await this.#query(
      `INSERT INTO ${this.#s}.request_counts AS r (workspace_id, period, requests)
       SELECT workspace_id, period, sum(requests)::bigint
       FROM unnest($1::text[], $2::text[], $3::bigint[]) AS t(workspace_id, period, requests)
       GROUP BY workspace_id, period
       ORDER BY workspace_id, period
       ON CONFLICT (workspace_id, period) DO UPDATE
         SET requests = r.requests + EXCLUDED.requests, updated_at = now()`,
      [
        counts.map((c) => c.workspaceId),
        counts.map((c) => c.period),
        counts.map((c) => c.requests),
      ],
    );
  }

  async addUsage(rows: ReadonlyArray<UsageIncrement>): Promise<void> {
    assertUsageIncrements(rows);
    if (rows.length === 0) return;
    // One statement, duplicates summed first and rows locked in key order (no deadlocks).
    await this.#query(
      `INSERT INTO ${this.#s}.usage_buckets AS u (bucket, key_id, workspace_id, model, requests,
         input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, cost_nanos)
       SELECT bucket::timestamptz, key_id, workspace_id, model, sum(requests)::bigint,
         sum(input_tokens)::bigint, sum(output_tokens)::bigint, sum(cache_write_tokens)::bigint,
         sum(cache_read_tokens)::bigint, sum(cost_nanos)::bigint
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[],
         $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[])
         AS t(bucket, key_id, workspace_id, model, requests, input_tokens, output_tokens,
           cache_write_tokens, cache_read_tokens, cost_nanos)
       GROUP BY 1, 2, 3, 4
       ORDER BY 1, 2, 3, 4
       ON CONFLICT (bucket, key_id, workspace_id, model) DO UPDATE SET
         requests = u.requests + EXCLUDED.requests,
         input_tokens = u.input_tokens + EXCLUDED.input_tokens,
         output_tokens = u.output_tokens + EXCLUDED.output_tokens,
         cache_write_tokens = u.cache_write_tokens + EXCLUDED.cache_write_tokens,
         cache_read_tokens = u.cache_read_tokens + EXCLUDED.cache_read_tokens,
         cost_nanos = u.cost_nanos + EXCLUDED.cost_nanos`,
      [
        rows.map((r) => r.bucket),
        rows.map((r) => r.keyId),
        rows.map((r) => r.workspaceId ?? ''),
        rows.map((r) => r.model),
        rows.map((r) => r.requests),
        rows.map((r) => r.inputTokens),
        rows.map((r) => r.outputTokens),
        rows.map((r) => r.cacheCreationInputTokens),
        rows.map((r) => r.cacheReadInputTokens),
        rows.map((r) => r.costNanos),
      ],
    );
  }

  async listUsage(query: UsageQuery): Promise<UsageBucket[]> {
    assertUsageQuery(query);
    const { rows } = await this.#idempotent<Record<string, string>>(
      `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24":00:00Z"') AS bucket, key_id,
         workspace_id, model, requests, input_tokens, output_tokens, cache_write_tokens,
         cache_read_tokens, cost_nanos
       FROM ${this.#s}.usage_buckets
       WHERE bucket >= $1::timestamptz AND bucket < $2::timestamptz
         AND ($3::text IS NULL OR workspace_id = $3) AND ($4::text IS NULL OR key_id = $4)
         AND ($5::text IS NULL OR model = $5)
       ORDER BY bucket, key_id COLLATE "C", workspace_id COLLATE "C", model COLLATE "C"`,
      [
        new Date(query.from).toISOString(),
        new Date(query.to).toISOString(),
        query.workspaceId ?? null,
        query.keyId ?? null,
        query.model ?? null,
      ],
    );
    return rows.map((row) => ({
      keyId: row.key_id!,
      workspaceId: row.workspace_id === '' ? null : row.workspace_id!,
      model: row.model!,
      bucket: row.bucket!,
      requests: Number(row.requests),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cacheCreationInputTokens: Number(row.cache_write_tokens),
      cacheReadInputTokens: Number(row.cache_read_tokens),
      costNanos: Number(row.cost_nanos),
    }));
  }

  async getRequestCount(workspaceId: string, period: string): Promise<number> {
    assertPeriod(period);
    const { rows } = await this.#idempotent<{ requests: string }>(
      `SELECT requests FROM ${this.#s}.request_counts WHERE workspace_id = $1 AND period = $2`,
      [workspaceId, period],
    );
    return rows[0] ? parseBigint(rows[0].requests) : 0;
  }

  /**
   * Ends the pool when this store owns it (created by `connect`). Idempotent.
   *
   * @example
   * ```ts
   * process.on('SIGTERM', () => void store.close());
   * ```
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) await this.pool.end();
  }

  async #client(): Promise<PoolClient> {
    if (this.#closed) throw new StoreUnavailableError('PostgreSQL key store is closed');
    try {
      return await this.pool.connect();
    } catch (error) {
      throw mapPgError(error);
    }
  }

  async #query<R extends QueryResultRow>(text: string, values: unknown[]) {
    if (this.#closed) throw new StoreUnavailableError('PostgreSQL key store is closed');
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw mapPgError(error);
    }
  }

  /**
   * An idempotent statement (a read, or a debit under its id): like {@link #query}, but retried at
   * once while its pooled connection turns out to be dead (terminated by the server, e.g. after a
   * restart or failover; each such failure is immediate and drops that connection from the pool),
   * at most once per pooled connection plus one. So a pool of stale connections costs no request
   * a 503. Never for other writes, which could then apply twice.
   */
  async #idempotent<R extends QueryResultRow>(text: string, values: unknown[]) {
    const attempts = (this.pool.options.max ?? 10) + 1;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      if (this.#closed) throw new StoreUnavailableError('PostgreSQL key store is closed');
      try {
        return await this.pool.query<R>(text, values);
      } catch (error) {
        // Only fast failures of dead connections are retried, never a slow one (bounded latency).
        const retry = attempt < attempts && isLostConnection(error) && Date.now() - started < 1000;
        if (!retry) throw mapPgError(error);
      }
    }
  }

  async #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#client();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      const mapped = mapPgError(error);
      // A lost, hung or timed-out connection is discarded (the server rolls its transaction back)
      // instead of waiting a second timeout for a ROLLBACK it may never answer.
      if (mapped instanceof StoreUnavailableError) broken = true;
      else {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
      }
      throw mapped;
    } finally {
      client.release(broken);
    }
  }
}

function positiveInt(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigurationError(`${field} must be a positive integer`, { field });
  }
  return value;
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function buildSet<P extends object>(
  patch: P,
  columns: Record<keyof P, string>,
): { sets: string[]; values: unknown[] } {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const field of Object.keys(columns) as (keyof P)[]) {
    if (!Object.hasOwn(patch, field) || patch[field] === undefined) continue;
    const column = columns[field];
    const value = JSON_COLUMNS.has(column) ? jsonOrNull(patch[field]) : patch[field];
    sets.push(`${column} = $${values.push(value)}`);
  }
  return { sets, values };
}

function page<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): Page<T> {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  return { data, hasMore, nextCursor: hasMore && last ? encodeCursor(last) : null };
}
