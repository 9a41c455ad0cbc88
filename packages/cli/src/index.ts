// @claude-auth/cli public API. Re-exports only, by name.
export {
  DEFAULT_STORE_URL,
  openStore,
  parseStoreUrl,
  redactUrl,
  type OpenStoreOptions,
  type StoreLocation,
} from './open-store.js';
export {
  createRuntime,
  type ClaudeAuthRuntime,
  type CreateRuntimeOptions,
} from './create-runtime.js';
export { run } from './run.js';
export { type CliIo, type GlobalOptions } from './command-context.js';
export {
  EXIT_CODES,
  InvalidInputError,
  describeFailure,
  type CliFailure,
  type ExitCode,
} from './exit-codes.js';
