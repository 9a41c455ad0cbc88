import {
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { createAnthropicSdkClient, type OutboundOptions } from '@claude-auth/core';
import {
  ANTHROPIC_CLIENT,
  CLAUDE_AUTH_RESOLVED_OPTIONS,
  CLAUDE_CLIENT_MODULE_OPTIONS,
} from './claude-auth.constants.js';
import type { ResolvedClaudeAuthModuleOptions } from './claude-auth-options.interface.js';
import { loadAnthropicSdk } from './load-anthropic-sdk.js';

/**
 * Options of `ClaudeClientModule`: outbound options laid over `ClaudeAuthModule`'s `outbound`, and
 * the SDK's own client options.
 *
 * @example
 * ```ts
 * const options: ClaudeClientModuleOptions = { authScheme: 'bearer', clientOptions: { maxRetries: 3 } };
 * ```
 */
export interface ClaudeClientModuleOptions extends OutboundOptions {
  /**
   * Passed to the SDK's constructor: `maxRetries`, `timeout`, `fetch`, `logger`,
   * `defaultHeaders` (a plain object), … The credential and the base URL come from the outbound
   * options and are not taken from here.
   */
  clientOptions?: { maxRetries?: number; timeout?: number; [option: string]: unknown };
}

/**
 * What `ClaudeClientModule.forRootAsync()` accepts: a factory of {@link ClaudeClientModuleOptions}.
 *
 * @example
 * ```ts
 * ClaudeClientModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ workspaceId: config.get('CLAUDE_WORKSPACE') }),
 * });
 * ```
 */
export interface ClaudeClientModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  useFactory: (...args: never[]) => ClaudeClientModuleOptions | Promise<ClaudeClientModuleOptions>;
  inject?: FactoryProvider['inject'];
  /** Make `ANTHROPIC_CLIENT` visible to every module. Default `true`. */
  isGlobal?: boolean;
}

const CREDENTIAL_OPTIONS = ['apiKey', 'authToken', 'credentials', 'config', 'profile', 'baseURL'];

const clientProvider: Provider = {
  provide: ANTHROPIC_CLIENT,
  useFactory: async (
    auth: ResolvedClaudeAuthModuleOptions | undefined,
    options: ClaudeClientModuleOptions,
  ): Promise<object> => {
    const { clientOptions = {}, ...outbound } = options;
    const sdkOptions = Object.fromEntries(
      Object.entries(clientOptions).filter(([name]) => !CREDENTIAL_OPTIONS.includes(name)),
    );
    const Anthropic = await loadAnthropicSdk();
    return createAnthropicSdkClient(Anthropic, { ...auth?.outbound, ...outbound }, sdkOptions);
  },
  inject: [{ token: CLAUDE_AUTH_RESOLVED_OPTIONS, optional: true }, CLAUDE_CLIENT_MODULE_OPTIONS],
};

/**
 * Provides the official `@anthropic-ai/sdk` client (an optional peer; 0.137+ or 1.x) as
 * `ANTHROPIC_CLIENT` (`@InjectAnthropic()`), configured from `ClaudeAuthModule`'s `outbound`
 * options with this module's options on top: every request attempt resolves the key again (so a
 * rotated `ANTHROPIC_API_KEY_FILE` is used without a restart) and sends it as `x-api-key` or
 * `Authorization: Bearer` (`authScheme`), with `anthropic-version`, `anthropic-workspace-id` and
 * `anthropic-beta` as configured. Global by default. Without `ClaudeAuthModule` it works from its
 * own options and the environment. Without the SDK installed, start-up fails with a
 * `ConfigurationError` (code `CLAUDE_AUTH_DRIVER_MISSING`) naming it.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     ClaudeAuthModule.forRoot({ global: true, outbound: { baseUrl: 'https://api.anthropic.com' } }),
 *     ClaudeClientModule.forRoot({ clientOptions: { maxRetries: 3 } }),
 *   ],
 *   providers: [SummaryService], // constructor(@InjectAnthropic() claude: Anthropic)
 * })
 * export class AppModule {}
 * ```
 */
@Module({})
export class ClaudeClientModule {
  /**
   * The module with static options.
   *
   * @example
   * ```ts
   * ClaudeClientModule.forRoot({ authScheme: 'bearer' });
   * ```
   */
  static forRoot(options: ClaudeClientModuleOptions & { isGlobal?: boolean } = {}): DynamicModule {
    const { isGlobal = true, ...clientModuleOptions } = options;
    return {
      module: ClaudeClientModule,
      global: isGlobal,
      providers: [
        { provide: CLAUDE_CLIENT_MODULE_OPTIONS, useValue: clientModuleOptions },
        clientProvider,
      ],
      exports: [ANTHROPIC_CLIENT],
    };
  }

  /**
   * The module with options from a factory (`ConfigService`, …).
   *
   * @example
   * ```ts
   * ClaudeClientModule.forRootAsync({ inject: [ConfigService], useFactory: (c: ConfigService) => ({ workspaceId: c.get('WS') }) });
   * ```
   */
  static forRootAsync(options: ClaudeClientModuleAsyncOptions): DynamicModule {
    return {
      module: ClaudeClientModule,
      global: options.isGlobal ?? true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: CLAUDE_CLIENT_MODULE_OPTIONS,
          useFactory: options.useFactory as (...args: unknown[]) => unknown,
          inject: options.inject ?? [],
        },
        clientProvider,
      ],
      exports: [ANTHROPIC_CLIENT],
    };
  }
}
