import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { KeyManager, type Authenticator } from '@claude-auth/core';
import { ApiKeyGuard } from './api-key.guard.js';
import { ClaudeAuthExceptionFilter } from './claude-auth-exception.filter.js';
import { ClaudeHeadersProvider } from './claude-headers.provider.js';
import { CLAUDE_AUTHENTICATOR, CLAUDE_AUTH_RESOLVED_OPTIONS } from './claude-auth.constants.js';
import {
  CLAUDE_AUTH_MODULE_OPTIONS,
  ConfigurableModuleClass,
} from './claude-auth.module-definition.js';
import type {
  ClaudeAuthModuleOptions,
  ResolvedClaudeAuthModuleOptions,
} from './claude-auth-options.interface.js';
import { resolveClaudeAuthModuleOptions } from './resolve-claude-auth-module-options.js';

/**
 * Claude-style API key authentication for a Nest application: provides the `Authenticator`
 * (`CLAUDE_AUTHENTICATOR`), `KeyManager`, `ApiKeyGuard`, `ClaudeAuthExceptionFilter` and, for
 * calls to the Claude API, `ClaudeHeadersProvider` (the `outbound` option; `ClaudeClientModule`
 * adds the official SDK client). With
 * `global: true` the guard and the filter apply to every route; `@Public()` opts a route out.
 * The module is global by default (`isGlobal: false` to scope it) and closes the authenticator it
 * created on application shutdown.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [ClaudeAuthModule.forRoot({ global: true, environment: 'live' })],
 *   controllers: [MessagesController],
 * })
 * export class AppModule {}
 *
 * // or, from configuration:
 * ClaudeAuthModule.forRootAsync({
 *   global: true,
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ environment: config.getOrThrow('CLAUDE_AUTH_ENV') }),
 * });
 * ```
 */
@Module({
  providers: [
    {
      provide: CLAUDE_AUTH_RESOLVED_OPTIONS,
      useFactory: (options: ClaudeAuthModuleOptions) => resolveClaudeAuthModuleOptions(options),
      inject: [CLAUDE_AUTH_MODULE_OPTIONS],
    },
    {
      provide: CLAUDE_AUTHENTICATOR,
      useFactory: (resolved: ResolvedClaudeAuthModuleOptions) => resolved.authenticator,
      inject: [CLAUDE_AUTH_RESOLVED_OPTIONS],
    },
    {
      provide: KeyManager,
      useFactory: (authenticator: Authenticator) => authenticator.keys,
      inject: [CLAUDE_AUTHENTICATOR],
    },
    ApiKeyGuard,
    ClaudeAuthExceptionFilter,
    ClaudeHeadersProvider,
  ],
  exports: [
    CLAUDE_AUTHENTICATOR,
    CLAUDE_AUTH_RESOLVED_OPTIONS,
    KeyManager,
    ApiKeyGuard,
    ClaudeAuthExceptionFilter,
    ClaudeHeadersProvider,
  ],
})
export class ClaudeAuthModule extends ConfigurableModuleClass implements OnApplicationShutdown {
  constructor(
    @Inject(CLAUDE_AUTH_RESOLVED_OPTIONS)
    private readonly resolved: ResolvedClaudeAuthModuleOptions,
  ) {
    super();
  }

  /** Closes the authenticator when the module owns it (flushes batched `last_used_at` writes). */
  async onApplicationShutdown(): Promise<void> {
    if (this.resolved.closeOnShutdown) await this.resolved.authenticator.close();
  }
}
