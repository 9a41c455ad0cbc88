/**
 * The one place the gateway gets its runtime (store, limiter, spend ledger, bus, logger) from.
 * Today the CLI's `createRuntime`; `@claude-auth/runtime` replaces it once it lands.
 */
export { createRuntime, type ClaudeAuthRuntime } from '@claude-auth/cli';
