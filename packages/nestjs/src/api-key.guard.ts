import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ConfigurationError,
  toAuthRequest,
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
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }

  /**
   * The route's requirements from its decorators: permissions of method and controller add up;
   * `@Workspace()` and `@AdminOnly()` on the method win over the controller's.
   */
  protected getRequirements(context: ExecutionContext): RouteRequirements {
    const targets = [context.getHandler(), context.getClass()];
    const permissions = this.reflector.getAllAndMerge<string[]>(PERMISSIONS_KEY, targets);
    const selector = this.reflector.getAllAndOverride<WorkspaceSelector | undefined>(
      WORKSPACE_KEY,
      targets,
    );
    const admin = this.reflector.getAllAndOverride<boolean | undefined>(ADMIN_ONLY_KEY, targets);
    const requirements: RouteRequirements = {};
    if (permissions.length > 0) requirements.permissions = [...new Set(permissions)];
    if (selector !== undefined) requirements.workspace = this.toWorkspace(selector, context);
    if (admin === true) requirements.admin = true;
    return requirements;
  }

  /** The platform request (Express `Request` or Fastify `FastifyRequest`). */
  protected getRequest(context: ExecutionContext): ClaudeAuthRequest {
    return context.switchToHttp().getRequest<ClaudeAuthRequest>();
  }

  /** The platform response (Express `Response` or Fastify `FastifyReply`). */
  protected getResponse(context: ExecutionContext): unknown {
    return context.switchToHttp().getResponse<unknown>();
  }

  /** The framework-free request the core pipeline reads. */
  protected toAuthRequest(request: ClaudeAuthRequest): AuthRequest {
    return toAuthRequest(request);
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
