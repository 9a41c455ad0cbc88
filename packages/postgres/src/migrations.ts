import type { PoolClient } from 'pg';

/** One schema change, applied once, in order, inside the migration transaction. */
export interface Migration {
  version: number;
  name: string;
  /** SQL statements; `s` is the quoted schema identifier. */
  statements: (s: string) => string[];
}

/**
 * Every migration of the PostgreSQL store, oldest first. Append only: never edit a shipped one.
 *
 * @example
 * ```ts
 * const latest = MIGRATIONS.at(-1)?.version; // the schema version a migrated database has
 * ```
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'keys, workspaces, spend',
    statements: (s) => [
      `CREATE TABLE ${s}.workspaces (
        id text PRIMARY KEY,
        name text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'archived')),
        created_at timestamptz NOT NULL,
        archived_at timestamptz,
        monthly_spend_limit_micros bigint CHECK (monthly_spend_limit_micros >= 0),
        rate_limit jsonb
      )`,
      `CREATE INDEX workspaces_created_idx ON ${s}.workspaces (created_at DESC, id DESC)`,
      `CREATE TABLE ${s}.api_keys (
        id text PRIMARY KEY,
        name text NOT NULL,
        hint text NOT NULL,
        hash text NOT NULL UNIQUE,
        previous_hash text,
        previous_hash_expires_at timestamptz,
        kind text NOT NULL CHECK (kind IN ('api', 'admin')),
        environment text NOT NULL,
        workspace_id text,
        permissions text[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('active', 'inactive', 'archived')),
        created_at timestamptz NOT NULL,
        created_by text,
        updated_at timestamptz NOT NULL,
        last_used_at timestamptz,
        expires_at timestamptz,
        rate_limit jsonb
      )`,
      `CREATE INDEX api_keys_previous_hash_idx ON ${s}.api_keys (previous_hash) WHERE previous_hash IS NOT NULL`,
      `CREATE INDEX api_keys_created_idx ON ${s}.api_keys (created_at DESC, id DESC)`,
      `CREATE INDEX api_keys_workspace_idx ON ${s}.api_keys (workspace_id, created_at DESC, id DESC)`,
      `CREATE TABLE ${s}.spend (
        workspace_id text NOT NULL,
        period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        total_micros bigint NOT NULL CHECK (total_micros >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, period)
      )`,
    ],
  },
  {
    version: 2,
    name: 'request counts',
    statements: (s) => [
      `CREATE TABLE ${s}.request_counts (
        workspace_id text NOT NULL,
        period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        requests bigint NOT NULL CHECK (requests >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, period)
      )`,
    ],
  },
  {
    version: 3,
    name: 'spend debits (idempotent, voidable)',
    statements: (s) => [
      `CREATE TABLE ${s}.spend_debits (
        debit_id text PRIMARY KEY,
        workspace_id text NOT NULL,
        period text NOT NULL,
        amount_micros bigint NOT NULL CHECK (amount_micros >= 0),
        state text NOT NULL CHECK (state IN ('applied', 'voided')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX spend_debits_created_idx ON ${s}.spend_debits (created_at)`,
    ],
  },
  {
    version: 4,
    name: 'usage buckets (hourly usage per key, workspace and model)',
    statements: (s) => [
      `CREATE TABLE ${s}.usage_buckets (
        bucket timestamptz NOT NULL,
        key_id text NOT NULL,
        workspace_id text NOT NULL,
        model text NOT NULL,
        requests bigint NOT NULL CHECK (requests >= 0),
        input_tokens bigint NOT NULL CHECK (input_tokens >= 0),
        output_tokens bigint NOT NULL CHECK (output_tokens >= 0),
        cache_write_tokens bigint NOT NULL CHECK (cache_write_tokens >= 0),
        cache_read_tokens bigint NOT NULL CHECK (cache_read_tokens >= 0),
        cost_nanos bigint NOT NULL CHECK (cost_nanos >= 0),
        PRIMARY KEY (bucket, key_id, workspace_id, model)
      )`,
      `CREATE INDEX usage_buckets_workspace_idx ON ${s}.usage_buckets (workspace_id, bucket)`,
    ],
  },
];

/** Namespace of the advisory lock taken while migrating (arbitrary, fixed: "ca" in ASCII). */
const LOCK_NAMESPACE = 0x6361;

/**
 * Brings `schema` up to the latest version inside ONE transaction holding a transaction-scoped
 * advisory lock, so any number of instances may start (and call this) at once: the first migrates,
 * the others wait and then find nothing to do. Returns the versions it applied.
 *
 * @example
 * ```ts
 * const client = await pool.connect();
 * try { await runMigrations(client, 'claude_auth', '"claude_auth"'); } finally { client.release(); }
 * ```
 */
export async function runMigrations(
  client: PoolClient,
  schema: string,
  quoted: string,
): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [
      LOCK_NAMESPACE,
      schema,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${quoted}.schema_migrations`,
    );
    const current = rows[0]?.version ?? 0;
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements(quoted)) await client.query(statement);
      await client.query(
        `INSERT INTO ${quoted}.schema_migrations (version, name) VALUES ($1, $2)`,
        [migration.version, migration.name],
      );
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
