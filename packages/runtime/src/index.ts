// @claude-auth/runtime public API. Re-exports only, by name.
export {
  createRuntime,
  type ClaudeAuthRuntime,
  type CreateRuntimeOptions,
} from './create-runtime.js';
export {
  DEFAULT_STORE_URL,
  openStore,
  parseStoreUrl,
  redactUrl,
  type OpenStoreOptions,
  type StoreLocation,
} from './open-store.js';
