/** The SQL of the SQLite key store, one named statement each (prepared once, cached by text). */

/** Any key holding one of two hashes, current or previous (hashes twice). */
export const HASH_IN_USE =
  'SELECT 1 FROM api_keys WHERE hash IN (?, ?) OR previous_hash IN (?, ?) LIMIT 1';

/** A key, from `keyParams(record)`. */
export const INSERT_KEY = `INSERT INTO api_keys (id, name, hint, hash, previous_hash, previous_hash_expires_at, kind, environment,
               workspace_id, permissions, status, created_at, created_by, updated_at, last_used_at, expires_at,
               rate_limit_rpm, rate_limit_burst)
             VALUES (@id, @name, @hint, @hash, @previous_hash, @previous_hash_expires_at, @kind, @environment,
               @workspace_id, @permissions, @status, @created_at, @created_by, @updated_at, @last_used_at, @expires_at,
               @rate_limit_rpm, @rate_limit_burst)`;

/** A key by id. */
export const KEY_BY_ID = 'SELECT * FROM api_keys WHERE id = ?';

/** A key by its current hash. */
export const KEY_BY_HASH = 'SELECT * FROM api_keys WHERE hash = ?';

/** A key by a previous hash still in its grace period at a time (ms). */
export const KEY_BY_PREVIOUS_HASH =
  'SELECT * FROM api_keys WHERE previous_hash = ? AND previous_hash_expires_at IS NOT NULL AND previous_hash_expires_at > ?';

/** Another key (not id) holding a hash, current or previous. */
export const HASH_USED_ELSEWHERE =
  'SELECT 1 FROM api_keys WHERE id <> ? AND (hash = ? OR previous_hash = ?) LIMIT 1';

/** Deletes a key by id. */
export const DELETE_KEY = 'DELETE FROM api_keys WHERE id = ?';

/** Moves a key's last use forward, never back. */
export const TOUCH_KEY =
  'UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)';

/** A workspace, columns in table order. */
export const INSERT_WORKSPACE = `INSERT INTO workspaces (id, name, status, created_at, archived_at, monthly_spend_limit_micros, rate_limit_rpm, rate_limit_burst)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

/** A workspace by id. */
export const WORKSPACE_BY_ID = 'SELECT * FROM workspaces WHERE id = ?';

/** Archives a workspace (once). */
export const ARCHIVE_WORKSPACE =
  "UPDATE workspaces SET status = 'archived', archived_at = ? WHERE id = ? AND status <> 'archived'";

/** Archives a workspace's keys, returning their ids. */
export const ARCHIVE_WORKSPACE_KEYS =
  "UPDATE api_keys SET status = 'archived', updated_at = ? WHERE workspace_id = ? AND status <> 'archived' RETURNING id";

/** The state of a debit id. */
export const DEBIT_STATE = 'SELECT state FROM spend_debits WHERE debit_id = ?';

/** Adds to a workspace's spend in a period (read the new total with `SPEND_TOTAL`). */
export const ADD_SPEND = `INSERT INTO spend (workspace_id, period, total_micros) VALUES (?, ?, ?)
             ON CONFLICT (workspace_id, period) DO UPDATE SET total_micros = total_micros + excluded.total_micros`;

/** Remembers an applied debit id. */
export const RECORD_DEBIT = `INSERT INTO spend_debits (debit_id, workspace_id, period, amount_micros, state, created_at)
               VALUES (?, ?, ?, ?, 'applied', ?)`;

/** Remembers an applied debit id unless it is known already (then no row changes). */
export const RECORD_NEW_DEBIT = `INSERT INTO spend_debits (debit_id, workspace_id, period, amount_micros, state, created_at)
               VALUES (?, ?, ?, ?, 'applied', ?) ON CONFLICT (debit_id) DO NOTHING`;

/**
 * Remembers `rows` new debit ids in one statement (5 values per row, in `RECORD_NEW_DEBIT`'s
 * order); a known id is skipped, so `changes` below `rows` means one was already there.
 */
export function recordNewDebits(rows: number): string {
  const values = Array.from({ length: rows }, () => "(?, ?, ?, ?, 'applied', ?)").join(', ');
  return `INSERT INTO spend_debits (debit_id, workspace_id, period, amount_micros, state, created_at)
               VALUES ${values} ON CONFLICT (debit_id) DO NOTHING`;
}

/** A remembered debit. */
export const DEBIT_BY_ID =
  'SELECT workspace_id, period, amount_micros, state FROM spend_debits WHERE debit_id = ?';

/** Remembers a debit id voided before it arrived. */
export const RECORD_VOIDED_DEBIT = `INSERT INTO spend_debits (debit_id, workspace_id, period, amount_micros, state, created_at)
               VALUES (?, ?, ?, 0, 'voided', ?)`;

/** Marks a debit id voided. */
export const MARK_DEBIT_VOIDED = "UPDATE spend_debits SET state = 'voided' WHERE debit_id = ?";

/** Takes an amount off a workspace's spend in a period (read the new total with `SPEND_TOTAL`). */
export const SUBTRACT_SPEND = `UPDATE spend SET total_micros = total_micros - ? WHERE workspace_id = ? AND period = ?`;

/** A workspace's spend in a period. */
export const SPEND_TOTAL = 'SELECT total_micros FROM spend WHERE workspace_id = ? AND period = ?';

/** Forgets debit ids older than a time (ms). */
export const PRUNE_DEBITS = 'DELETE FROM spend_debits WHERE created_at < ?';

/** Adds to a workspace's request count in a period. */
export const ADD_REQUESTS = `INSERT INTO request_counts (workspace_id, period, requests) VALUES (?, ?, ?)
             ON CONFLICT (workspace_id, period) DO UPDATE SET requests = requests + excluded.requests`;

/** A workspace's request count in a period. */
export const REQUEST_COUNT =
  'SELECT requests FROM request_counts WHERE workspace_id = ? AND period = ?';

/**
 * `UPDATE <table> SET a = @a, b = @b WHERE id = @id` for the given columns (names come from code,
 * never from input).
 *
 * @example
 * ```ts
 * db.prepare(updateById('api_keys', ['name', 'status'])).run({ name, status, id });
 * ```
 */
export function updateById(table: 'api_keys' | 'workspaces', columns: readonly string[]): string {
  return `UPDATE ${table} SET ${columns.map((name) => `${name} = @${name}`).join(', ')} WHERE id = @id`;
}

/**
 * One page of a table, newest first, under `where` clauses, fetching `LIMIT ?` rows.
 *
 * @example
 * ```ts
 * db.prepare(pageQuery('workspaces', ["status = 'active'"])).all(limit + 1);
 * ```
 */
export function pageQuery(table: 'api_keys' | 'workspaces', where: readonly string[]): string {
  return `SELECT * FROM ${table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
}

/** Creates the table recording applied migrations. */
export const CREATE_SCHEMA_VERSION =
  'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)';

/** The schema version of the database (`NULL` before the first migration). */
export const SCHEMA_VERSION = 'SELECT MAX(version) AS version FROM schema_version';

/** Records an applied migration. */
export const RECORD_MIGRATION =
  'INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)';
