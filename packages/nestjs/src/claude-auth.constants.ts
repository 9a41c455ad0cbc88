/** Injection tokens and metadata keys of `@claude-auth/nestjs`. */

/**
 * Injection token of the module's `Authenticator` (from `@claude-auth/core`).
 *
 * @example
 * ```ts
 * @Injectable()
 * export class AuditService {
 *   constructor(@Inject(CLAUDE_AUTHENTICATOR) private readonly authenticator: Authenticator) {}
 * }
 * ```
 */
export const CLAUDE_AUTHENTICATOR = Symbol.for('claude-auth:authenticator');

/**
 * Injection token of the module's resolved options ({@link ResolvedClaudeAuthModuleOptions}).
 *
 * @example
 * ```ts
 * constructor(@Inject(CLAUDE_AUTH_RESOLVED_OPTIONS) options: ResolvedClaudeAuthModuleOptions) {}
 * ```
 */
export const CLAUDE_AUTH_RESOLVED_OPTIONS = Symbol.for('claude-auth:resolved-options');

/**
 * Metadata key set by `@Public()`.
 *
 * @example
 * ```ts
 * reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
 * ```
 */
export const IS_PUBLIC_KEY = 'claude-auth:public';

/**
 * Metadata key set by `@RequirePermissions()`.
 *
 * @example
 * ```ts
 * reflector.getAllAndMerge<string[]>(PERMISSIONS_KEY, [context.getHandler(), context.getClass()]);
 * ```
 */
export const PERMISSIONS_KEY = 'claude-auth:permissions';

/**
 * Metadata key set by `@Workspace()`.
 *
 * @example
 * ```ts
 * reflector.getAllAndOverride<WorkspaceSelector>(WORKSPACE_KEY, [context.getHandler(), context.getClass()]);
 * ```
 */
export const WORKSPACE_KEY = 'claude-auth:workspace';

/**
 * Metadata key set by `@AdminOnly()`.
 *
 * @example
 * ```ts
 * reflector.getAllAndOverride<boolean>(ADMIN_ONLY_KEY, [context.getHandler(), context.getClass()]);
 * ```
 */
export const ADMIN_ONLY_KEY = 'claude-auth:admin-only';

/**
 * Injection token of the official `@anthropic-ai/sdk` client that `ClaudeClientModule` provides;
 * `@InjectAnthropic()` is short for `@Inject(ANTHROPIC_CLIENT)`.
 *
 * @example
 * ```ts
 * constructor(@Inject(ANTHROPIC_CLIENT) private readonly claude: Anthropic) {}
 * ```
 */
export const ANTHROPIC_CLIENT = Symbol.for('claude-auth:anthropic-client');

/**
 * Injection token of the options given to `ClaudeClientModule.forRoot()` / `forRootAsync()`.
 *
 * @example
 * ```ts
 * constructor(@Inject(CLAUDE_CLIENT_MODULE_OPTIONS) options: ClaudeClientModuleOptions) {}
 * ```
 */
export const CLAUDE_CLIENT_MODULE_OPTIONS = Symbol.for('claude-auth:client-module-options');
