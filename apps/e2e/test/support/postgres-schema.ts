import { randomBytes } from 'node:crypto';
import { openStore } from '@claude-auth/runtime';
import { PostgresKeyStore } from '@claude-auth/postgres';

const SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A throw-away schema in the local `test` database, and an open, migrated store on it. */
export interface TemporarySchema {
  /** `postgres://postgres@127.0.0.1:5432/test?schema=<name>`: what `CLAUDE_AUTH_STORE_URL` takes. */
  readonly url: string;
  readonly name: string;
  /** The store on that schema (migrated, so the demos that connect next find it ready). */
  readonly store: PostgresKeyStore;
  /** Drops the schema with everything in it, then closes the store. */
  drop(): Promise<void>;
}

/**
 * Opens a store on a fresh, randomly named schema through the same `?schema=` store URL the demos
 * get, so every run is isolated without creating databases.
 *
 * @example
 * ```ts
 * const schema = await createSchema();
 * try { await startDemo('A', { CLAUDE_AUTH_STORE_URL: schema.url }) } finally { await schema.drop() }
 * ```
 */
export async function createSchema(): Promise<TemporarySchema> {
  const name = `claude_auth_e2e_${randomBytes(6).toString('hex')}`;
  const url = `${SERVER_URL}?schema=${name}`;
  const store = await openStore(url);
  if (!(store instanceof PostgresKeyStore) || store.schema !== name) {
    await store.close?.();
    throw new Error(`openStore did not open PostgreSQL schema ${name}`);
  }
  return {
    url,
    name,
    store,
    drop: async () => {
      try {
        await store.pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await store.close();
      }
    },
  };
}
