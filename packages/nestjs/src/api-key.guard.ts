import {
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ConfigurationError,
  toLazyAuthRequest,
  type AuthRequest,
  type Authenticator,
  type RouteRequirements,
} from '@claude-auth/core';
import {
  ADMIN_ONLY_KEY,
  CLAUDE_AUTHENTICATOR,
  IS_PUBLIC_KEY,
  PERMISSIONS_KEY,
  WORKSPACE_KEY,
} from './claude-auth.constants.js';
import { ClaudeAuthHttpException } from './claude-auth-http.exception.js';
import type { WorkspaceSelector } from './decorators/workspace.decorator.js';
import { setResponseHeaders, type ClaudeAuthRequest } from './http-platform.util.js';

/** What a route's decorators say, read once per route. */
interface RouteMetadata {
  readonly isPublic: boolean;
  /** Deduplicated; `undefined` when the route needs none. */
  readonly permissions: readonly string[] | undefined;
  readonly selector: WorkspaceSelector | undefined;
  readonly admin: boolean;
}

/**
 * Requires a valid Claude-style API key (`x-api-key`, `anthropic-version`, `content-type`) on
 * Express and Fastify. Reads `@Public()`, `@RequirePermissions()`, `@Workspace()` and
 * `@AdminOnly()` (method first, then controller), calls the core authenticator, sets
 * `request.claudeAuth` and the response headers, and throws `ClaudeAuthHttpException` on refusal.
 * Subclasses may override the `protected` hooks.
 *
 * @example
 * ```ts
 * @UseGuards(ApiKeyGuard)
 * @Controller('v1')
 * export class MessagesController {}
 *
 * // custom requirements: every route under /v1/admin is admin-only
 * @Injectable()
 * export class MyGuard extends ApiKeyGuard {
 *   protected override getRequirements(context: ExecutionContext): RouteRequirements {
 *     const base = super.getRequirements(context);
 *     return this.getRequest(context).url?.startsWith('/v1/admin') ? { ...base, admin: true } : base;
 *   }
 * }
 * ```
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  /**
   * The decorators of each route (controller class → handler → metadata), read through the
   * `Reflector` once per route instead of on every request: decorators are applied when classes
   * are defined, so the answer never changes.
   */
  readonly #routes = new WeakMap<object, WeakMap<object, RouteMetadata>>();

  constructor(
    @Inject(Reflector) protected readonly reflector: Reflector,
    @Inject(CLAUDE_AUTHENTICATOR) protected readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    if (context.getType() !== 'http') {
      throw new ConfigurationError(
        `ApiKeyGuard protects HTTP routes only (got a "${context.getType()}" context): mark it ` +
          '@Public() or override getRequest()/canActivate() in a subclass',
        { code: 'CLAUDE_AUTH_UNSUPPORTED_CONTEXT' },
      );
    }
    const request = this.getRequest(context);
    const result = await this.authenticator.authenticate(
      this.toAuthRequest(request),
      this.getRequirements(context),
    );
    setResponseHeaders(this.getResponse(context), result.headers);
    if (!result.ok) throw new ClaudeAuthHttpException(result.error, result.headers);
    request.claudeAuth = result.auth;
    return true;
  }

  /** Whether the route is `@Public()` (method first, then controller). */
  protected isPublic(context: ExecutionContext): boolean {
    return this.#metadata(context).isPublic;
  }

  /**
   * The route's requirements from its decorators: permissions of method and controller add up;
   * `@Workspace()` and `@AdminOnly()` on the method win over the controller's. A new object on
   * every call (subclasses may change it).
   */
  protected getRequirements(context: ExecutionContext): RouteRequirements {
    const { permissions, selector, admin } = this.#metadata(context);
    const requirements: RouteRequirements = {};
    if (permissions !== undefined) requirements.permissions = [...permissions];
    if (selector !== undefined) requirements.workspace = this.toWorkspace(selector, context);
    if (admin) requirements.admin = true;
    return requirements;
  }

  /** The platform request (Express `Request` or Fastify `FastifyRequest`). */
  protected getRequest(context: ExecutionContext): ClaudeAuthRequest {
    // What `switchToHttp().getRequest()` returns, without the helper object it builds per call.
    return context.getArgByIndex<ClaudeAuthRequest>(0);
  }

  /** The platform response (Express `Response` or Fastify `FastifyReply`). */
  protected getResponse(context: ExecutionContext): unknown {
    return context.getArgByIndex<unknown>(1);
  }

  /**
   * The framework-free request the core pipeline reads (its `ip` is read only when needed, from the
   * socket's peer and `x-forwarded-for` as the authenticator's `trustProxy` says).
   */
  protected toAuthRequest(request: ClaudeAuthRequest): AuthRequest {
    return toLazyAuthRequest(request, this.authenticator.options.trustProxy);
  }

  #metadata(context: ExecutionContext): RouteMetadata {
    const handler = context.getHandler();
    const controller = context.getClass();
    let routes = this.#routes.get(controller);
    if (routes === undefined) {
      routes = new WeakMap();
      this.#routes.set(controller, routes);
    }
    let metadata = routes.get(handler);
    if (metadata === undefined) {
      metadata = this.#readMetadata([handler, controller]);
      routes.set(handler, metadata);
    }
    return metadata;
  }

  #readMetadata(targets: [ReturnType<ExecutionContext['getHandler']>, Type]): RouteMetadata {
    const { reflector } = this;
    const permissions = reflector.getAllAndMerge<string[]>(PERMISSIONS_KEY, targets);
    return {
      isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true,
      permissions: permissions.length > 0 ? [...new Set(permissions)] : undefined,
      selector: reflector.getAllAndOverride<WorkspaceSelector | undefined>(WORKSPACE_KEY, targets),
      admin: reflector.getAllAndOverride<boolean | undefined>(ADMIN_ONLY_KEY, targets) === true,
    };
  }

  private toWorkspace(
    selector: WorkspaceSelector,
    context: ExecutionContext,
  ): NonNullable<RouteRequirements['workspace']> {
    if (typeof selector === 'string') return selector;
    if (typeof selector === 'function') return (request) => selector(request, context);
    const params = this.getRequest(context).params;
    return () => params?.[selector.param];
  }
}
