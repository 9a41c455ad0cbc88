import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { AuthRequest } from '@claude-auth/core';
import { WORKSPACE_KEY } from '../claude-auth.constants.js';

/**
 * Reads the target workspace id from the request; `undefined` falls back to the
 * `anthropic-workspace-id` header, then to the key's own workspace.
 *
 * @example
 * ```ts
 * const fromQuery: WorkspaceResolver = (req) => new URL(req.url, 'http://x').searchParams.get('ws') ?? undefined;
 * ```
 */
export type WorkspaceResolver = (
  request: AuthRequest,
  context: ExecutionContext,
) => string | undefined;

/**
 * Where a route's workspace comes from: a fixed id, a route parameter, or a resolver.
 *
 * @example
 * ```ts
 * const selector: WorkspaceSelector = { param: 'workspaceId' };
 * ```
 */
export type WorkspaceSelector = string | { param: string } | WorkspaceResolver;

/**
 * Declares the workspace a route acts in. A workspace key may only reach its own workspace; an
 * organisation-wide key reaches any. Otherwise: 403.
 *
 * @example
 * ```ts
 * @Workspace({ param: 'workspaceId' })
 * @Get('workspaces/:workspaceId/usage')
 * usage() {}
 *
 * @Workspace('wrkspc_01abc')       // a fixed workspace
 * @Workspace((req) => req.headers['x-tenant'] as string | undefined) // a resolver
 * ```
 */
export const Workspace = (selector: WorkspaceSelector): MethodDecorator & ClassDecorator =>
  SetMetadata(WORKSPACE_KEY, selector);
