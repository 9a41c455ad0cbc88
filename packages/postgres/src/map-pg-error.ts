import { StoreUnavailableError } from '@claude-auth/core/store';

/** Node socket error codes meaning "the server cannot be reached". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
]);

/**
 * SQLSTATEs meaning "the database is there but cannot serve us right now":
 * class 08 (connection exception), 57014 (statement timeout / cancel), 57P01-57P05 (shutdown,
 * cannot connect now, idle session timeout), 53300 (too many connections), 55P03 (lock timeout).
 */
function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code === '57014' ||
    code.startsWith('57P') ||
    code === '53300' ||
    code === '55P03'
  );
}

/** Messages the pg driver uses for timeouts and dead connections (they carry no `code`). */
const DRIVER_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'connection timeout',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  'Client was closed',
];

/** Reads a string `code` from an unknown error value. */
function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * Whether a pg error means PostgreSQL is unreachable, overloaded or too slow, as opposed to a
 * bug or a constraint violation.
 *
 * @example
 * ```ts
 * if (isUnavailableError(error)) throw new StoreUnavailableError('PostgreSQL unavailable');
 * ```
 */
export function isUnavailableError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = errorCode(error);
  if (code !== undefined && (NETWORK_CODES.has(code) || isUnavailableSqlState(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailableError);
  const message = error instanceof Error ? error.message : '';
  return DRIVER_MESSAGES.some((m) => message.includes(m));
}

/**
 * Maps a pg error to `StoreUnavailableError` when PostgreSQL is unreachable or timed out; returns
 * other errors unchanged. The message names only the error code, never the connection string.
 *
 * @example
 * ```ts
 * try { await pool.query(sql); } catch (error) { throw mapPgError(error); }
 * ```
 */
export function mapPgError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (!isUnavailableError(error)) return error;
  return new StoreUnavailableError(`PostgreSQL key store unavailable (${pgFailureReason(error)})`, {
    cause: error,
  });
}

/**
 * A short, credential-free reason for a pg failure: its code (`ECONNREFUSED`, a SQLSTATE),
 * `statement timeout`, `connection timeout`, or `connection lost` for the driver's code-less
 * "Connection terminated" errors (an idle connection the server closed, for instance).
 *
 * @example
 * ```ts
 * pool.on('error', (error) => logger.warn(`PostgreSQL idle connection error (${pgFailureReason(error)})`));
 * ```
 */
export function pgFailureReason(error: unknown): string {
  const code = errorCode(error);
  if (code === '57014') return 'statement timeout';
  if (code !== undefined) return code;
  if (error instanceof AggregateError) {
    const inner = error.errors.map(errorCode).find((c) => c !== undefined);
    if (inner !== undefined) return inner;
  }
  const message = error instanceof Error ? error.message : '';
  return message.includes('timeout') ? 'connection timeout' : 'connection lost';
}

/**
 * Whether a pg error means this connection was lost before the statement could run or answer
 * (terminated by the server, reset), as opposed to a timeout or a server that refuses
 * connections. A read that failed this way is worth one retry on a fresh connection.
 *
 * @example
 * ```ts
 * if (isLostConnection(error)) return pool.query(sql, values); // once
 * ```
 */
export function isLostConnection(error: unknown): boolean {
  const code = errorCode(error);
  if (code === '57P01' || code === '57P02' || code === '08003' || code === '08006') return true;
  if (code === 'ECONNRESET' || code === 'EPIPE') return true;
  const message = error instanceof Error ? error.message : '';
  // Not "Connection terminated due to connection timeout": a timeout is not worth a retry.
  return /Connection terminated unexpectedly|terminating connection/.test(message);
}
