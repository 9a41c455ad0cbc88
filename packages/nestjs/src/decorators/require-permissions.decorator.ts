import { SetMetadata } from '@nestjs/common';
import { PERMISSIONS_KEY } from '../claude-auth.constants.js';

/**
 * Requires every listed permission on the calling key (`*` on a key grants all). Permissions
 * on the controller and on the method add up: the key needs all of them. Otherwise: 403.
 *
 * @example
 * ```ts
 * @RequirePermissions('messages:write')
 * @Post('messages')
 * create() {}
 * ```
 */
export const RequirePermissions = (...permissions: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(PERMISSIONS_KEY, permissions);
