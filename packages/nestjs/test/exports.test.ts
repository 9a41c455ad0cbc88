import * as api from '../src/index.js';
import { expect, it } from 'vitest';
import { exportList } from '../../testing/src/export-list.js';

it('exports exactly these runtime names (update the snapshot only for an intended API change)', () => {
  expect(exportList(api)).toMatchInlineSnapshot(`
    [
      "ADMIN_ONLY_KEY: string",
      "AdminOnly: function",
      "ApiKeyGuard: class",
      "CLAUDE_AUTHENTICATOR: symbol",
      "CLAUDE_AUTH_MODULE_OPTIONS: string",
      "CLAUDE_AUTH_RESOLVED_OPTIONS: symbol",
      "ClaudeAuth: function",
      "ClaudeAuthExceptionFilter: class",
      "ClaudeAuthHttpException: class",
      "ClaudeAuthModule: class",
      "IS_PUBLIC_KEY: string",
      "KeyManager: class",
      "PERMISSIONS_KEY: string",
      "PlatformBodyErrorTranslator: class",
      "Public: function",
      "RequirePermissions: function",
      "UnknownRouteHandler: class",
      "WORKSPACE_KEY: string",
      "Workspace: function",
      "resolveClaudeAuthModuleOptions: function",
    ]
  `);
});
