import type { ApiKeyRecord, KeyStatus } from '../store/key-store.js';

/**
 * A key as shown to users and admin APIs: the stored record without any hash, and with the
 * derived `status` (`expired` once `expiresAt` has passed).
 */
export type ApiKeyView = Omit<
  ApiKeyRecord,
  'hash' | 'previousHash' | 'previousHashExpiresAt' | 'status'
> & {
  status: KeyStatus;
};

/**
 * The status a key has at `now`: `archived` stays `archived`; otherwise a key whose `expiresAt`
 * is at or before `now` is `expired`; otherwise the stored status.
 *
 * @example
 * ```ts
 * if (keyStatus(record, new Date()) !== 'active') return reject();
 * ```
 */
export function keyStatus(
  record: Pick<ApiKeyRecord, 'status' | 'expiresAt'>,
  now: Date,
): KeyStatus {
  if (record.status === 'archived') return 'archived';
  if (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime()) return 'expired';
  return record.status;
}

/**
 * The safe-to-show view of a stored key (see {@link ApiKeyView}).
 *
 * @example
 * ```ts
 * res.json(toKeyView(record, new Date()));
 * ```
 */
export function toKeyView(record: ApiKeyRecord, now: Date): ApiKeyView {
  const {
    hash: _hash,
    previousHash: _previous,
    previousHashExpiresAt: _until,
    status: _status,
    ...rest
  } = record;
  return {
    ...rest,
    permissions: [...record.permissions],
    rateLimit: record.rateLimit ? { ...record.rateLimit } : null,
    status: keyStatus(record, now),
  };
}
