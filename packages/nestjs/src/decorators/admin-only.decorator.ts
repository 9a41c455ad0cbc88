import { SetMetadata } from '@nestjs/common';
import { ADMIN_ONLY_KEY } from '../claude-auth.constants.js';

/**
 * Only `admin` keys may call the route (or the controller's routes); an `api` key gets 403.
 *
 * @example
 * ```ts
 * @AdminOnly()
 * @Controller('admin/keys')
 * export class AdminKeysController {}
 * ```
 */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY_KEY, true);
