// @claude-auth/nestjs public API. Re-exports only, by name.
export { ClaudeAuthModule } from './claude-auth.module.js';
export {
  CLAUDE_AUTH_MODULE_OPTIONS,
  type ClaudeAuthModuleAsyncOptions,
  type ClaudeAuthModuleForRootOptions,
} from './claude-auth.module-definition.js';
export type {
  ClaudeAuthModuleExtras,
  ClaudeAuthModuleOptions,
  ResolvedClaudeAuthModuleOptions,
} from './claude-auth-options.interface.js';
export { resolveClaudeAuthModuleOptions } from './resolve-claude-auth-module-options.js';
export {
  ClaudeClientModule,
  type ClaudeClientModuleAsyncOptions,
  type ClaudeClientModuleOptions,
} from './claude-client.module.js';
export { ClaudeHeadersProvider, type ClaudeHeadersOverrides } from './claude-headers.provider.js';
export { InjectAnthropic } from './decorators/inject-anthropic.decorator.js';
export {
  ADMIN_ONLY_KEY,
  ANTHROPIC_CLIENT,
  CLAUDE_AUTHENTICATOR,
  CLAUDE_AUTH_RESOLVED_OPTIONS,
  CLAUDE_CLIENT_MODULE_OPTIONS,
  IS_PUBLIC_KEY,
  PERMISSIONS_KEY,
  WORKSPACE_KEY,
} from './claude-auth.constants.js';
export { ApiKeyGuard } from './api-key.guard.js';
export { ClaudeProxyService } from './claude-proxy.service.js';
export { ClaudeAuthExceptionFilter } from './claude-auth-exception.filter.js';
export { ClaudeAuthHttpException } from './claude-auth-http.exception.js';
export { PlatformBodyErrorTranslator } from './platform-body-error.translator.js';
export { UnknownRouteHandler } from './unknown-route.handler.js';
export { Public } from './decorators/public.decorator.js';
export { RequirePermissions } from './decorators/require-permissions.decorator.js';
export { AdminOnly } from './decorators/admin-only.decorator.js';
export {
  Workspace,
  type WorkspaceResolver,
  type WorkspaceSelector,
} from './decorators/workspace.decorator.js';
export { ClaudeAuth, type ClaudeAuthField } from './decorators/claude-auth.decorator.js';
export type { ClaudeAuthRequest } from './http-platform.util.js';
export { KeyManager } from '@claude-auth/core';
