export {
  PostgresKeyStore,
  type PostgresConnectOptions,
  type PostgresKeyStoreOptions,
} from './postgres-key-store.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export { isUnavailableError, mapPgError } from './map-pg-error.js';
