import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { requireService } from '../../testing/src/required-service.js';

/** The PostgreSQL the tests use (CI starts it): trust auth, database `test`, user `postgres`. */
export const PG_URL =
  process.env.CLAUDE_AUTH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether PostgreSQL answers at {@link PG_URL} within two seconds. */
export async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name per test file (or test), so runs never share tables. */
export function randomSchema(): string {
  return `ca_test_${randomBytes(6).toString('hex')}`;
}

/** Drops a schema made by a test. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Whether the PostgreSQL tests run. Under CI a missing server fails the file that imports this;
 * locally the tests are skipped, loudly, and counted as skipped.
 */
export const PG_AVAILABLE = requireService({
  name: 'PostgreSQL',
  where: new URL(PG_URL).host,
  available: await postgresAnswers(),
  envVar: 'CLAUDE_AUTH_TEST_PG_URL',
});
