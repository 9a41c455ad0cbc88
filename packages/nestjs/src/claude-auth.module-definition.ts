import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard.js';
import { ClaudeAuthExceptionFilter } from './claude-auth-exception.filter.js';
import { PlatformBodyErrorTranslator } from './platform-body-error.translator.js';
import { UnknownRouteHandler } from './unknown-route.handler.js';
import type {
  ClaudeAuthModuleExtras,
  ClaudeAuthModuleOptions,
} from './claude-auth-options.interface.js';

const appProviders: Provider[] = [
  { provide: APP_GUARD, useExisting: ApiKeyGuard },
  { provide: APP_FILTER, useExisting: ClaudeAuthExceptionFilter },
  PlatformBodyErrorTranslator,
  UnknownRouteHandler,
];

/**
 * `ConfigurableModuleBuilder` output behind `ClaudeAuthModule`: `forRoot` / `forRootAsync`, the
 * raw options token, and the option types.
 *
 * @example
 * ```ts
 * @Module({})
 * export class ClaudeAuthModule extends ConfigurableModuleClass {}
 * ```
 */
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: CLAUDE_AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ClaudeAuthModuleOptions>({ moduleName: 'ClaudeAuth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createClaudeAuthOptions')
  .setExtras<Required<ClaudeAuthModuleExtras>>(
    { global: false, isGlobal: true },
    (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
      providers: [...(definition.providers ?? []), ...(extras.global ? appProviders : [])],
    }),
  )
  .build();

/**
 * What `ClaudeAuthModule.forRoot()` accepts.
 *
 * @example
 * ```ts
 * const options: ClaudeAuthModuleForRootOptions = { global: true, environment: 'test' };
 * ```
 */
export type ClaudeAuthModuleForRootOptions = typeof OPTIONS_TYPE;

/**
 * What `ClaudeAuthModule.forRootAsync()` accepts (`useFactory` + `inject`, `useClass`, `useExisting`).
 *
 * @example
 * ```ts
 * const options: ClaudeAuthModuleAsyncOptions = {
 *   global: true,
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ environment: config.get('ENV') }),
 * };
 * ```
 */
export type ClaudeAuthModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
