import { InvalidRequestError } from '@claude-auth/core';

/** A position in a `(created_at DESC, id DESC)` ordering. */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

/**
 * Encodes a page position as an opaque base64url cursor.
 *
 * @example
 * ```ts
 * const next = encodeCursor({ createdAt: last.createdAt, id: last.id });
 * ```
 */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}; throws `InvalidRequestError` for anything else.
 *
 * @example
 * ```ts
 * const { createdAt, id } = decodeCursor(filter.after);
 * ```
 */
export function decodeCursor(cursor: string): CursorPosition {
  const text = cursor.length <= 512 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const bar = text.indexOf('|');
  const createdAt = new Date(bar > 0 ? text.slice(0, bar) : Number.NaN);
  const id = text.slice(bar + 1);
  if (bar <= 0 || Number.isNaN(createdAt.getTime()) || id.length === 0) {
    throw new InvalidRequestError('Invalid pagination cursor');
  }
  return { createdAt, id };
}

/**
 * Validates a page size: an integer from 1 to 1000, default 100.
 *
 * @example
 * ```ts
 * const limit = pageLimit(filter.limit);
 * ```
 */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new InvalidRequestError('Page limit must be an integer from 1 to 1000');
  }
  return limit;
}
