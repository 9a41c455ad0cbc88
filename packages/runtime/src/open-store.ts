import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  ConfigurationError,
  MemoryKeyStore,
  StoreUnavailableError,
  type KeyStore,
  type Logger,
} from '@claude-auth/core';
import { SqliteKeyStore } from '@claude-auth/sqlite';
import { loadPeer } from './load-peer.js';

/** The store used when neither `--store`, `CLAUDE_AUTH_STORE_URL` nor the config file names one. */
export const DEFAULT_STORE_URL = 'sqlite:.claude-auth/claude-auth.db';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Directory that relative `sqlite:` paths resolve against; defaults to `process.cwd()`. */
  cwd?: string;
  /** Receives the PostgreSQL pool's idle-connection errors; never key material. */
  logger?: Logger;
  /**
   * Create a missing parent directory of a `sqlite:` path. Default `false`: a mistyped path is
   * refused rather than silently becoming a new, empty store. The default location
   * (`.claude-auth/` under `cwd`) is always created.
   */
  createDirectories?: boolean;
}

const ACCEPTED_FORMS =
  'sqlite:<path> (relative to the working directory), postgres://… or postgresql://… (optionally ?schema=<name>), or memory: (not durable)';

/** A PostgreSQL schema name the store accepts (the same rule as `PostgresKeyStore`). */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the key store a store URL names: `sqlite:<path>` (the path is relative to `cwd`; a
 * missing parent directory is refused unless `createDirectories`, except for the default location),
 * `postgres://` / `postgresql://` (migrated on connect; needs the optional peer
 * `@claude-auth/postgres`, loaded only then) or `memory:` (a `MemoryKeyStore`: keys are lost when
 * the process ends). A PostgreSQL URL may name the schema holding the tables with `?schema=<name>`
 * (default `claude_auth`); the parameter is removed before the URL reaches the driver.
 *
 * Throws `ConfigurationError` for any other form or when `@claude-auth/postgres` is not installed
 * (code `CLAUDE_AUTH_DRIVER_MISSING`, naming the package), and `StoreUnavailableError` when the
 * store cannot be opened. No message contains the URL's credentials.
 *
 * @example
 * ```ts
 * const store = await openStore(process.env.CLAUDE_AUTH_STORE_URL ?? DEFAULT_STORE_URL);
 * try { console.log(await store.listKeys()) } finally { await store.close?.() }
 * await openStore('postgres://app@db:5432/main?schema=tenant_a'); // tables in schema tenant_a
 * ```
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<KeyStore> {
  const location = parseStoreUrl(url);
  if (location.kind === 'memory') return new MemoryKeyStore();
  return location.kind === 'sqlite'
    ? openSqlite(location.path, options.cwd ?? process.cwd(), options.createDirectories === true)
    : openPostgres(location, options.logger);
}

/** Where a store URL points. */
export type StoreLocation =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      /** The URL given to the driver: without the `schema` parameter. */
      connectionString: string;
      /** From `?schema=<name>`; `undefined` means the store's default (`claude_auth`). */
      schema?: string;
    };

/**
 * Parses a store URL without opening anything: `sqlite:rel/path`, `sqlite:/abs/path`,
 * `sqlite:///abs/path`, `postgres://…`, `postgresql://…` (with an optional `schema` query
 * parameter, validated as a lower-case identifier), `memory:`. Throws `ConfigurationError` (naming
 * `CLAUDE_AUTH_STORE_URL` and the accepted forms, never the password) for anything else.
 *
 * @example
 * ```ts
 * parseStoreUrl('sqlite:data/keys.db'); // { kind: 'sqlite', path: 'data/keys.db' }
 * parseStoreUrl('postgres://app@db/main?schema=auth&sslmode=require');
 * // { kind: 'postgres', connectionString: 'postgres://app@db/main?sslmode=require', schema: 'auth' }
 * ```
 */
export function parseStoreUrl(url: string): StoreLocation {
  const trimmed = url.trim();
  if (trimmed === 'memory:') return { kind: 'memory' };
  if (trimmed.startsWith('sqlite:')) {
    let rest = trimmed.slice('sqlite:'.length);
    if (rest.startsWith('//')) rest = rest.slice(2);
    if (rest !== '') return { kind: 'sqlite', path: rest };
    throw new ConfigurationError(
      `The SQLite store URL has no path (--store or CLAUDE_AUTH_STORE_URL): use sqlite:<path>, e.g. ${DEFAULT_STORE_URL}.`,
      { code: 'CLAUDE_AUTH_INVALID_STORE_URL', field: 'storeUrl' },
    );
  } else if (/^postgres(ql)?:\/\/[^/]/i.test(trimmed)) {
    return parsePostgresUrl(trimmed);
  }
  throw new ConfigurationError(
    `Unsupported store URL${describeScheme(trimmed)} (--store or CLAUDE_AUTH_STORE_URL): use ${ACCEPTED_FORMS}.`,
    { code: 'CLAUDE_AUTH_INVALID_STORE_URL', field: 'storeUrl' },
  );
}

/** Splits the `schema` parameter off a PostgreSQL URL; the rest of the URL is kept as written. */
function parsePostgresUrl(url: string): StoreLocation {
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return { kind: 'postgres', connectionString: url };
  const hashAt = url.indexOf('#', queryAt);
  const query = url.slice(queryAt + 1, hashAt === -1 ? undefined : hashAt);
  const params = new URLSearchParams(query);
  const schemas = params.getAll('schema');
  if (schemas.length === 0) return { kind: 'postgres', connectionString: url };
  const [schema] = schemas;
  if (schemas.length > 1 || schema === undefined || !SCHEMA_PATTERN.test(schema)) {
    const got =
      schemas.length > 1 ? 'several schema parameters' : JSON.stringify(schema?.slice(0, 70));
    throw new ConfigurationError(
      `The schema in the PostgreSQL store URL (?schema=…, --store or CLAUDE_AUTH_STORE_URL) must be a lower-case identifier matching /^[a-z_][a-z0-9_]{0,62}$/ (got ${got}).`,
      { code: 'CLAUDE_AUTH_INVALID_STORE_URL', field: 'storeUrl' },
    );
  }
  params.delete('schema');
  const rest = params.toString();
  const connectionString =
    url.slice(0, queryAt) +
    (rest === '' ? '' : `?${rest}`) +
    (hashAt === -1 ? '' : url.slice(hashAt));
  return { kind: 'postgres', connectionString, schema };
}

/** ` with scheme "mysql:"`, or nothing: the rest of a URL may hold credentials, so it is never echoed. */
function describeScheme(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]{0,19}):/i.exec(url)?.[1];
  return scheme === undefined ? '' : ` with scheme "${scheme.toLowerCase()}:"`;
}

/**
 * The URL with any password replaced by `***`, safe for logs and error messages.
 *
 * @example
 * ```ts
 * redactUrl('postgres://app:s3cret@db/claude'); // 'postgres://app:***@db/claude'
 * ```
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

async function openSqlite(
  file: string,
  cwd: string,
  createDirectories: boolean,
): Promise<KeyStore> {
  const absolute = path.resolve(cwd, file);
  const directory = path.dirname(absolute);
  const isDefault = absolute === path.resolve(cwd, DEFAULT_STORE_URL.slice('sqlite:'.length));
  if (!createDirectories && !isDefault && !(await isDirectory(directory))) {
    throw new ConfigurationError(
      `The directory of the SQLite store does not exist: ${directory}. Check the path, create the ` +
        'directory, or pass --create-dirs to have it created.',
      { code: 'CLAUDE_AUTH_STORE_DIRECTORY_MISSING', field: 'storeUrl' },
    );
  }
  try {
    await mkdir(directory, { recursive: true });
    return SqliteKeyStore.open(absolute);
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new StoreUnavailableError(`Cannot open the SQLite store at ${absolute}`, {
      cause: error,
    });
  }
}

async function isDirectory(directory: string): Promise<boolean> {
  try {
    return (await stat(directory)).isDirectory();
  } catch {
    return false;
  }
}

/** `host:port` of a PostgreSQL URL (port 5432 when none), for messages; never credentials. */
function hostAndPort(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}`;
  } catch {
    return 'an unparsable address';
  }
}

async function openPostgres(
  { connectionString, schema }: { connectionString: string; schema?: string },
  logger: Logger | undefined,
): Promise<KeyStore> {
  const { PostgresKeyStore } = await loadPeer(
    '@claude-auth/postgres',
    'storeUrl',
    () => import('@claude-auth/postgres'),
  );
  try {
    return await PostgresKeyStore.connect({
      connectionString,
      ...(schema === undefined ? {} : { schema }),
      ...(logger === undefined ? {} : { logger }),
    });
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    const where = `${hostAndPort(connectionString)} (${redactUrl(connectionString)})`;
    if (error instanceof StoreUnavailableError) {
      throw new StoreUnavailableError(
        `Cannot reach the PostgreSQL store at ${where}: ${error.message}`,
        {
          cause: error.cause ?? error,
        },
      );
    }
    throw new StoreUnavailableError(`Cannot connect to the PostgreSQL store at ${where}`, {
      cause: error,
    });
  }
}
