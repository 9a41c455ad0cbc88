/** The access step's two rules: which workspace a request acts in, and route requirements. */
import type { AuthRequest, RouteRequirements } from './types.js';

/**
 * The workspace a request acts in: the route's, else the `anthropic-workspace-id` header, else
 * `fallback` (the key's own). `undefined` for an unusable value (duplicated header, empty id).
 *
 * @example
 * ```ts
 * targetWorkspace({ workspace: 'wrk_1' }, request, null); // 'wrk_1'
 * ```
 */
export function targetWorkspace(
  requirements: RouteRequirements | undefined,
  request: AuthRequest,
  fallback: string | null,
): string | null | undefined {
  const route = requirements?.workspace;
  if (route !== undefined) {
    const id = typeof route === 'function' ? route(request) : route;
    if (id !== undefined) return id === '' ? undefined : id;
  }
  const header = request.headers['anthropic-workspace-id'];
  if (header === undefined) return fallback;
  if (typeof header !== 'string' || header === '' || header.includes(',')) return undefined;
  return header;
}

/**
 * Whether a key of `kind` with `permissions` meets a route's requirements (`*` grants all).
 *
 * @example
 * ```ts
 * meetsRequirements('standard', ['messages:write'], { admin: true }); // false
 * ```
 */
export function meetsRequirements(
  kind: string,
  permissions: readonly string[],
  requirements: RouteRequirements | undefined,
): boolean {
  if (requirements === undefined) return true;
  if (requirements.admin === true && kind !== 'admin') return false;
  const needed = requirements.permissions;
  if (needed === undefined || needed.length === 0 || permissions.includes('*')) return true;
  for (const permission of needed) if (!permissions.includes(permission)) return false;
  return true;
}
