import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createAuthError, toLazyAuthRequest, type Authenticator } from '@claude-auth/core';
import { CLAUDE_AUTHENTICATOR } from './claude-auth.constants.js';
import { isResponseStarted, sendJson, type ClaudeAuthRequest } from './http-platform.util.js';

type NotFoundHandler = (this: unknown, req: unknown, res: unknown, ...rest: unknown[]) => unknown;
interface NotFoundHost {
  setNotFoundHandler?: (this: unknown, handler: NotFoundHandler, prefix?: string) => unknown;
  getInstance?: () => unknown;
}
const WRAPPED = Symbol.for('claude-auth:unknown-route-handler');

/**
 * Makes unknown routes behave like every other route, on Express and Fastify: the request is
 * authenticated first (no key, no route discovery: 401), then answered with the contract's JSON 404
 * `not_found_error` instead of Nest's own JSON. Also turns off Express's `x-powered-by` banner.
 * Registered by `global: true`; it replaces the not-found handler Nest installs on the HTTP adapter.
 *
 * @example
 * ```ts
 * @Module({ providers: [UnknownRouteHandler] }) // what ClaudeAuthModule does with global: true
 * export class AppModule {}
 * ```
 */
@Injectable()
export class UnknownRouteHandler implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(CLAUDE_AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {}

  /** Runs after routes are registered and before Nest installs its not-found handler. */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as
      (NotFoundHost & { [WRAPPED]?: true }) | undefined;
    if (adapter === undefined || adapter[WRAPPED] === true) return;
    adapter[WRAPPED] = true;
    const instance = adapter.getInstance?.() as { disable?: (name: string) => unknown } | undefined;
    // Express applications have `disable()`; Fastify sends no banner.
    if (typeof instance?.disable === 'function') instance.disable('x-powered-by');
    const original = adapter.setNotFoundHandler;
    if (original === undefined) return;
    const answer = (req: unknown, res: unknown): Promise<void> => this.answer(req, res);
    adapter.setNotFoundHandler = (_handler, prefix) =>
      original.call(adapter, (req: unknown, res: unknown) => answer(req, res), prefix);
  }

  private async answer(req: unknown, res: unknown): Promise<void> {
    const { authenticator } = this;
    const request = req as ClaudeAuthRequest;
    const result = await authenticator.authenticate(
      toLazyAuthRequest(request, authenticator.options.trustProxy),
    );
    if (isResponseStarted(res)) return;
    const reply = result.ok
      ? authenticator.errorResponse(
          createAuthError('not_found', { vocabulary: authenticator.options.vocabulary }),
          result.auth.requestId,
        )
      : authenticator.errorResponse(result.error, result.headers['request-id']);
    sendJson(res, reply.status, { ...result.headers, ...reply.headers }, reply.body);
  }
}
