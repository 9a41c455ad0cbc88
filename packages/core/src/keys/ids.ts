import { randomBase62 } from './base62.js';

export { BASE62_ALPHABET, encodeBase62, randomBase62 } from './base62.js';
export { crc32 } from './crc32.js';

/** Random base62 characters in every generated id (~143 bits). */
export const ID_RANDOM_LENGTH = 24;

/** Matches a key id: `key_` plus 24 base62 characters. */
export const KEY_ID_PATTERN = /^key_[0-9A-Za-z]{24}$/;

/** Matches a workspace id: `wrkspc_` plus 24 base62 characters. */
export const WORKSPACE_ID_PATTERN = /^wrkspc_[0-9A-Za-z]{24}$/;

/**
 * A new key id: `key_` plus 24 random base62 characters. Ids are public (never secret) and stay
 * the same when a key is regenerated.
 *
 * @example
 * ```ts
 * newKeyId(); // 'key_4bX0...'
 * ```
 */
export function newKeyId(): string {
  return `key_${randomBase62(ID_RANDOM_LENGTH)}`;
}

/**
 * A new workspace id: `wrkspc_` plus 24 random base62 characters.
 *
 * @example
 * ```ts
 * newWorkspaceId(); // 'wrkspc_9Qa1...'
 * ```
 */
export function newWorkspaceId(): string {
  return `wrkspc_${randomBase62(ID_RANDOM_LENGTH)}`;
}
