/**
 * The peer NestJS stack shared by the `peer-nest-*` rows: @nestjs/throttler (in-memory storage,
 * limit never reached) as a global guard, then a constant-time `x-api-key` guard.
 */
import {
  Injectable,
  Module,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { MessagesController } from './nest-app.js';
import { benchApiKey, keyMatches } from './shared.js';

const expected = benchApiKey();

/** Accepts only the bench key, compared in constant time. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    if (keyMatches(request.headers['x-api-key'], expected)) return true;
    throw new UnauthorizedException('invalid x-api-key');
  }
}

/** The peer app: throttler first (as its docs recommend), then the key guard. */
@Module({
  imports: [ThrottlerModule.forRoot([{ ttl: 60_000, limit: 1e9 }])],
  controllers: [MessagesController],
  providers: [
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
})
export class PeerNestModule {}
