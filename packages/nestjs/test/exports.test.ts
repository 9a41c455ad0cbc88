import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports exactly the documented public API', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "ADMIN_ONLY_KEY",
      "ANTHROPIC_CLIENT",
      "AdminOnly",
      "ApiKeyGuard",
      "CLAUDE_AUTHENTICATOR",
      "CLAUDE_AUTH_MODULE_OPTIONS",
      "CLAUDE_AUTH_RESOLVED_OPTIONS",
      "CLAUDE_CLIENT_MODULE_OPTIONS",
      "ClaudeAuth",
      "ClaudeAuthExceptionFilter",
      "ClaudeAuthHttpException",
      "ClaudeAuthModule",
      "ClaudeClientModule",
      "ClaudeHeadersProvider",
      "ClaudeProxyService",
      "IS_PUBLIC_KEY",
      "InjectAnthropic",
      "KeyManager",
      "PERMISSIONS_KEY",
      "PlatformBodyErrorTranslator",
      "Public",
      "RequirePermissions",
      "UnknownRouteHandler",
      "WORKSPACE_KEY",
      "Workspace",
      "resolveClaudeAuthModuleOptions",
    ]
  `);
});
