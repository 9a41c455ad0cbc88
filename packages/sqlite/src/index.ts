// @claude-auth/sqlite public API. Re-exports only, by name.
export { SqliteKeyStore, type SqliteKeyStoreOptions } from './sqlite-key-store.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations.js';
