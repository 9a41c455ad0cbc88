import { InvalidRequestError, StoreUnavailableError } from '@claude-auth/core';

const UNAVAILABLE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_READONLY',
]);

/**
 * Maps a better-sqlite3 failure to the contract's errors: a constraint to a plain error naming the
 * clash, a busy, locked, read-only, full or unreadable database (or a closed connection) to
 * `StoreUnavailableError`; never includes bound values (no key material).
 *
 * @example
 * ```ts
 * try { statement.run(params) } catch (error) { throw mapSqliteError(error) }
 * ```
 */
export function mapSqliteError(error: unknown): Error {
  if (error instanceof InvalidRequestError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_CONSTRAINT')) {
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
        return new Error('The key names a workspace that does not exist');
      return new Error('A record with this id or hash already exists');
    }
    if (
      UNAVAILABLE_CODES.has(code) ||
      code.startsWith('SQLITE_IOERR') ||
      code.startsWith('SQLITE_BUSY')
    ) {
      return new StoreUnavailableError('SQLite key store unavailable', { cause: error });
    }
  }
  if (error instanceof TypeError && /database connection is not open/.test(error.message)) {
    return new StoreUnavailableError('SQLite key store is closed', { cause: error });
  }
  return error instanceof Error ? error : new Error('SQLite key store failed');
}
