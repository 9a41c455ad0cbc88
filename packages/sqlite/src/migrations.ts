/** One schema step: applied once, in order, inside a transaction; recorded in `schema_version`. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Every schema version of the SQLite store. Append new steps; never edit an applied one. Times
 * are epoch milliseconds (INTEGER), money is integer micro-dollars, permissions are a JSON array.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'workspaces, api_keys, spend',
    sql: `
      CREATE TABLE workspaces (
        id                         TEXT PRIMARY KEY,
        name                       TEXT NOT NULL,
        status                     TEXT NOT NULL CHECK (status IN ('active', 'archived')),
        created_at                 INTEGER NOT NULL,
        archived_at                INTEGER,
        monthly_spend_limit_micros INTEGER CHECK (monthly_spend_limit_micros >= 0),
        rate_limit_rpm             INTEGER,
        rate_limit_burst           INTEGER
      ) STRICT;
      CREATE INDEX workspaces_list ON workspaces (created_at DESC, id DESC);

      CREATE TABLE api_keys (
        id                       TEXT PRIMARY KEY,
        name                     TEXT NOT NULL,
        hint                     TEXT NOT NULL,
        hash                     TEXT NOT NULL UNIQUE,
        previous_hash            TEXT UNIQUE,
        previous_hash_expires_at INTEGER,
        kind                     TEXT NOT NULL CHECK (kind IN ('api', 'admin')),
        environment              TEXT NOT NULL,
        workspace_id             TEXT REFERENCES workspaces (id),
        permissions              TEXT NOT NULL,
        status                   TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'archived')),
        created_at               INTEGER NOT NULL,
        created_by               TEXT,
        updated_at               INTEGER NOT NULL,
        last_used_at             INTEGER,
        expires_at               INTEGER,
        rate_limit_rpm           INTEGER,
        rate_limit_burst         INTEGER
      ) STRICT;
      CREATE INDEX api_keys_list ON api_keys (created_at DESC, id DESC);
      CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at DESC, id DESC);

      CREATE TABLE spend (
        workspace_id TEXT NOT NULL,
        period       TEXT NOT NULL,
        total_micros INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, period)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'request_counts',
    sql: `
      CREATE TABLE request_counts (
        workspace_id TEXT NOT NULL,
        period       TEXT NOT NULL,
        requests     INTEGER NOT NULL CHECK (requests >= 0),
        PRIMARY KEY (workspace_id, period)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    description: 'spend_debits (idempotent, voidable debits)',
    sql: `
      CREATE TABLE spend_debits (
        debit_id      TEXT PRIMARY KEY,
        workspace_id  TEXT NOT NULL,
        period        TEXT NOT NULL,
        amount_micros INTEGER NOT NULL CHECK (amount_micros >= 0),
        state         TEXT NOT NULL CHECK (state IN ('applied', 'voided')),
        created_at    INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX spend_debits_created ON spend_debits (created_at);
    `,
  },
  {
    version: 4,
    description: 'usage_buckets (hourly usage per key, workspace and model)',
    sql: `
      CREATE TABLE usage_buckets (
        bucket              TEXT NOT NULL,
        key_id              TEXT NOT NULL,
        workspace_id        TEXT NOT NULL,
        model               TEXT NOT NULL,
        requests            INTEGER NOT NULL CHECK (requests >= 0),
        input_tokens        INTEGER NOT NULL CHECK (input_tokens >= 0),
        output_tokens       INTEGER NOT NULL CHECK (output_tokens >= 0),
        cache_write_tokens  INTEGER NOT NULL CHECK (cache_write_tokens >= 0),
        cache_read_tokens   INTEGER NOT NULL CHECK (cache_read_tokens >= 0),
        cost_nanos          INTEGER NOT NULL CHECK (cost_nanos >= 0),
        PRIMARY KEY (bucket, key_id, workspace_id, model)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX usage_buckets_workspace ON usage_buckets (workspace_id, bucket);
    `,
  },
];

/** The newest schema version this library knows. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;
