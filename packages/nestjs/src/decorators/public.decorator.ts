import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from '../claude-auth.constants.js';

/**
 * Lets a route (or every route of a controller) through `ApiKeyGuard` without a key. A method's
 * `@Public()` wins over its controller's requirements.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() { return { ok: true }; }
 * ```
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
