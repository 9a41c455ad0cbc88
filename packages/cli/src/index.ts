// @claude-auth/cli public API. Re-exports only, by name.
export { run } from './run.js';
export { type CliIo, type GlobalOptions } from './command-context.js';
export {
  EXIT_CODES,
  InvalidInputError,
  describeFailure,
  type CliFailure,
  type ExitCode,
} from './exit-codes.js';
