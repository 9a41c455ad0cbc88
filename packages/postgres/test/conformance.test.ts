import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runKeyStoreConformance } from '../../testing/src/key-store-conformance.js';
import { PostgresKeyStore } from '../src/index.js';
import { dropSchema, PG_AVAILABLE, PG_URL, randomSchema } from './pg-test-helpers.js';

if (PG_AVAILABLE) {
  // One random schema for this file, emptied before every test, dropped at the end.
  const schema = randomSchema();
  const pool = new pg.Pool({ connectionString: PG_URL, max: 10 });
  pool.on('error', () => undefined);

  beforeAll(async () => {
    await new PostgresKeyStore(pool, { schema }).migrate();
  });
  afterAll(async () => {
    await pool.end();
    await dropSchema(schema);
  });

  runKeyStoreConformance('PostgresKeyStore', async () => {
    const store = new PostgresKeyStore(pool, { schema });
    await pool.query(`TRUNCATE ${pg.escapeIdentifier(schema)}.api_keys, ${pg.escapeIdentifier(schema)}.workspaces,
      ${pg.escapeIdentifier(schema)}.spend, ${pg.escapeIdentifier(schema)}.request_counts,
      ${pg.escapeIdentifier(schema)}.spend_debits`);
    return { store, cleanup: () => store.close() };
  });
} else {
  describe('KeyStore conformance: PostgresKeyStore', () => {
    it.skip('skipped: PostgreSQL does not answer at 127.0.0.1:5432 (CI starts it)', () =>
      undefined);
  });
}
