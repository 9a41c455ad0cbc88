import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SERVER = { host: '127.0.0.1', port: '5432', user: 'postgres' };

async function psql(sql: string): Promise<void> {
  await run(
    'psql',
    [
      '-h',
      SERVER.host,
      '-p',
      SERVER.port,
      '-U',
      SERVER.user,
      '-d',
      'test',
      '-v',
      'ON_ERROR_STOP=1',
      '-Atqc',
      sql,
    ],
    {
      timeout: 30_000,
    },
  );
}

/** A throw-away PostgreSQL database. */
export interface TemporaryDatabase {
  /** `postgres://postgres@127.0.0.1:5432/<name>`: what `CLAUDE_AUTH_STORE_URL` takes. */
  readonly url: string;
  /** Drops the database, closing any connection left. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh database on the local server (trust auth). The store URL has no schema option
 * (`openStore` always uses the `claude_auth` schema), so isolation is by database.
 *
 * @example
 * ```ts
 * const db = await createDatabase();
 * try { await openStore(db.url) } finally { await db.drop() }
 * ```
 */
export async function createDatabase(): Promise<TemporaryDatabase> {
  const name = `claude_auth_e2e_${randomBytes(6).toString('hex')}`;
  await psql(`CREATE DATABASE ${name}`);
  return {
    url: `postgres://${SERVER.user}@${SERVER.host}:${SERVER.port}/${name}`,
    drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
