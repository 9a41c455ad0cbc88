import { MemoryKeyStore } from '../store/memory-key-store.js';
import type { Logger } from './types.js';

const warned = new WeakSet<Logger>();

/**
 * The store `createAuthenticator()` falls back to when given none: a fresh `MemoryKeyStore`, whose
 * keys vanish with the process. Says so once per logger (so once per process with the default
 * `console`), except under a test runner (`NODE_ENV=test`), where memory is the usual choice.
 * Passing `{ store: new MemoryKeyStore() }` keeps memory without the warning.
 *
 * @example
 * ```ts
 * const store = options.store ?? defaultMemoryStore(logger, Date.now);
 * ```
 */
export function defaultMemoryStore(
  logger: Logger,
  now: () => number,
  env: NodeJS.ProcessEnv = process.env,
): MemoryKeyStore {
  if (env.NODE_ENV !== 'test' && !warned.has(logger)) {
    warned.add(logger);
    logger.warn(
      'claude-auth: no `store` given, so keys live in memory and are lost when the process exits. ' +
        'Pass { store } (SqliteKeyStore, PostgresKeyStore), or { store: new MemoryKeyStore() } to ' +
        'keep memory without this warning',
    );
  }
  return new MemoryKeyStore({ now: () => new Date(now()) });
}
