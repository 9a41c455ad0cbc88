import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ConfigurationError, type ClaudeAuth as CoreClaudeAuth } from '@claude-auth/core';
import type { ClaudeAuthRequest } from '../http-platform.util.js';

/**
 * Who is calling (`@claude-auth/core`'s `ClaudeAuth`): key id, name, hint, kind, workspace,
 * permissions, version, request id, `recordSpend()`. Never holds the secret.
 *
 * @example
 * ```ts
 * hello(@ClaudeAuth() auth: ClaudeAuth) { return auth.keyName; }
 * ```
 */
export type ClaudeAuth = CoreClaudeAuth;

/**
 * A data field `@ClaudeAuth(field)` can read (every field but the `recordSpend` method).
 *
 * @example
 * ```ts
 * const field: ClaudeAuthField = 'workspaceId';
 * ```
 */
export type ClaudeAuthField = Exclude<keyof CoreClaudeAuth, 'recordSpend'>;

/**
 * Reads the request's `ClaudeAuth` (or one of its fields) set by `ApiKeyGuard`. Throws a
 * `ConfigurationError` (code `CLAUDE_AUTH_GUARD_NOT_APPLIED`, answered as a 500) when the guard
 * did not authenticate this request: no guard, or a `@Public()` route.
 *
 * @example
 * ```ts
 * @Get('whoami')
 * whoami(@ClaudeAuth() auth: ClaudeAuth, @ClaudeAuth('workspaceId') workspaceId: string | null) {
 *   return { key: auth.keyHint, workspaceId };
 * }
 * ```
 */
export const ClaudeAuth = createParamDecorator(
  (field: ClaudeAuthField | undefined, context: ExecutionContext): unknown => {
    const auth = context.switchToHttp().getRequest<ClaudeAuthRequest>().claudeAuth;
    if (auth === undefined) {
      throw new ConfigurationError(
        '@ClaudeAuth() found no authenticated key on this request: apply ApiKeyGuard ' +
          '(ClaudeAuthModule.forRoot({ global: true }) or @UseGuards(ApiKeyGuard)) and do not mark ' +
          'the route @Public()',
        { code: 'CLAUDE_AUTH_GUARD_NOT_APPLIED' },
      );
    }
    return field === undefined ? auth : auth[field];
  },
);
