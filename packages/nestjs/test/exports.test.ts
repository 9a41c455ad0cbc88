import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports exactly the documented public API', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "ADMIN_ONLY_KEY",
      "AdminOnly",
      "ApiKeyGuard",
      "CLAUDE_AUTHENTICATOR",
      "CLAUDE_AUTH_MODULE_OPTIONS",
      "CLAUDE_AUTH_RESOLVED_OPTIONS",
      "ClaudeAuth",
      "ClaudeAuthExceptionFilter",
      "ClaudeAuthHttpException",
      "ClaudeAuthModule",
      "ClaudeProxyService",
      "IS_PUBLIC_KEY",
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
