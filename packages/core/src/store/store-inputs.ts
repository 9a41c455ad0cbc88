/**
 * Input checks and pagination cursors shared by every `KeyStore` implementation, so that all of
 * them accept and reject the same inputs with the same `InvalidRequestError`s.
 */
import { InvalidRequestError } from '../errors/claude-auth-error.js';
import type { SpendDebit, SpendDebitRef } from './key-store.js';
import { assertPeriod } from './request-counts.js';

/** Page size when a list call gives none. */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page size a list call may ask for. */
export const MAX_PAGE_SIZE = 1000;

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
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString(
    'base64url',
  );
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
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidRequestError(`Page limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return limit;
}

/**
 * Checks a spend debit before a store applies it: a positive safe-integer amount, a `YYYY-MM`
 * period and a non-negative integer limit or `null`. Throws `InvalidRequestError`.
 *
 * @example
 * ```ts
 * assertSpendDebit({ workspaceId, period: '2025-03', amountMicros: 930, limitMicros: null }); // ok
 * ```
 */
export function assertSpendDebit(debit: SpendDebit): void {
  if (!Number.isSafeInteger(debit.amountMicros) || debit.amountMicros <= 0) {
    throw new InvalidRequestError('Spend amount must be a positive integer of micro-dollars');
  }
  assertPeriod(debit.period);
  if (
    debit.limitMicros !== null &&
    (!Number.isSafeInteger(debit.limitMicros) || debit.limitMicros < 0)
  ) {
    throw new InvalidRequestError(
      'Spend limit must be a non-negative integer of micro-dollars or null',
    );
  }
  if (debit.debitId !== undefined) assertDebitId(debit.debitId);
}

/**
 * How long stores remember debit ids (the idempotency and void window): 24 hours. Older ids may
 * be forgotten, so a debit repeated later than this may apply again.
 *
 * @example
 * ```ts
 * const forgetBefore = Date.now() - DEBIT_ID_RETENTION_MS;
 * ```
 */
export const DEBIT_ID_RETENTION_MS = 86_400_000;

const DEBIT_ID = /^[\x21-\x7e]{1,200}$/;

function assertDebitId(debitId: unknown): void {
  if (typeof debitId !== 'string' || !DEBIT_ID.test(debitId)) {
    throw new InvalidRequestError('Debit id must be 1 to 200 printable ASCII characters');
  }
}

/**
 * Checks a reference to a debit before a store voids it: a non-empty workspace id, a `YYYY-MM`
 * period and a valid debit id. Throws `InvalidRequestError`.
 *
 * @example
 * ```ts
 * assertDebitRef({ workspaceId: 'wrkspc_1', period: '2025-03', debitId: 'req_abc' }); // ok
 * ```
 */
export function assertDebitRef(ref: SpendDebitRef): void {
  if (typeof ref.workspaceId !== 'string' || ref.workspaceId === '') {
    throw new InvalidRequestError('Workspace id must be a non-empty string');
  }
  assertPeriod(ref.period);
  assertDebitId(ref.debitId);
}
