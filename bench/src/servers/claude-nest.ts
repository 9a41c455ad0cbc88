/**
 * The claude-auth NestJS app shared by the `claude-nest-*` rows: `ClaudeAuthModule.forRoot()` with
 * the bench authenticator and `global: true` (ApiKeyGuard and the exception filter on every route).
 */
import { Module, type Type } from '@nestjs/common';
import { ClaudeAuthModule } from '@claude-auth/nestjs';
import { createBenchAuth } from './claude-setup.js';
import { MessagesController } from './nest-app.js';

/**
 * Creates the bench authenticator and the app module around it.
 *
 * @example
 * ```ts
 * const { module, apiKey } = await createClaudeNestModule();
 * await startNest(module, 'express', { apiKey });
 * ```
 */
export async function createClaudeNestModule(): Promise<{ module: Type<unknown>; apiKey: string }> {
  const bench = await createBenchAuth();

  @Module({
    imports: [
      ClaudeAuthModule.forRoot({
        authenticator: bench.authenticator,
        closeOnShutdown: true,
        global: true,
      }),
    ],
    controllers: [MessagesController],
  })
  class ClaudeNestModule {}

  return { module: ClaudeNestModule, apiKey: bench.apiKey };
}
