import { Module, type DynamicModule } from '@nestjs/common';
import type { Authenticator, OutboundOptions } from '@claude-auth/core';
import { ClaudeAuthModule, ClaudeClientModule } from '@claude-auth/nestjs';
import { MessagesController } from './messages.controller.js';
import { ModelsController } from './models.controller.js';
import { SummarizeController } from './summarize.controller.js';

/**
 * The demo's root module: claude-auth's guard and exception filter on every route, the official
 * SDK client from the shared outbound options (`ClaudeClientModule`), and the three API
 * controllers.
 *
 * @example
 * ```ts
 * const module = AppModule.register(authenticator, runtime.outboundOptions);
 * const app = await NestFactory.create(module, { bodyParser: false });
 * ```
 */
@Module({})
export class AppModule {
  static register(authenticator: Authenticator, outbound: OutboundOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ClaudeAuthModule.forRoot({ authenticator, global: true, outbound }),
        ClaudeClientModule.forRoot(),
      ],
      controllers: [ModelsController, MessagesController, SummarizeController],
    };
  }
}
