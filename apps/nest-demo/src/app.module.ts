import { Module, type DynamicModule } from '@nestjs/common';
import type { Authenticator } from '@claude-auth/core';
import { ClaudeAuthModule } from '@claude-auth/nestjs';
import { MessagesController } from './messages.controller.js';
import { ModelsController } from './models.controller.js';

/**
 * The demo's root module: claude-auth's guard and exception filter on every route, and the two
 * API controllers.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule.register(authenticator), { bodyParser: false });
 * ```
 */
@Module({})
export class AppModule {
  static register(authenticator: Authenticator): DynamicModule {
    return {
      module: AppModule,
      imports: [ClaudeAuthModule.forRoot({ authenticator, global: true })],
      controllers: [ModelsController, MessagesController],
    };
  }
}
