/** The one place the gateway gets its runtime (store, limiter, spend ledger, bus, logger) from. */
export { createRuntime, type ClaudeAuthRuntime } from '@claude-auth/runtime';
