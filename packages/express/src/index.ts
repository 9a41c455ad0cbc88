// @claude-auth/express public API. Re-exports only, by name.
export { claudeAuth } from './claude-auth.js';
export { requireApiKey, type RequireApiKeyOptions } from './require-api-key.js';
export { getClaudeAuth } from './get-claude-auth.js';
export { claudeProxy, type ClaudeProxyMiddleware } from './claude-proxy.js';
export { claudeAuthErrorHandler, type ClaudeAuthErrorHandlerOptions } from './error-handler.js';
export { claudeAuthNotFound, type ClaudeAuthNotFoundOptions } from './not-found.js';
export type {
  ClaudeAuthCommonOptions,
  ClaudeAuthMiddleware,
  ClaudeAuthMiddlewareOptions,
  ClaudeAuthRequest,
} from './types.js';
