import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  ConfigurationError,
  createClaudeProxy,
  type ClaudeProxy,
  type ClaudeProxyOptions,
} from '@claude-auth/core';
import type { ClaudeAuthRequest } from './http-platform.util.js';

/**
 * Forwards a guarded request to the Claude API (the core's `createClaudeProxy`) on either Nest
 * platform: Express's request/response, or Fastify's (`raw`, and the reply is hijacked). Call it
 * from a route handler behind `ApiKeyGuard` with `@Req()` and `@Res()`; the body the platform
 * already parsed is re-serialized. Closes its connection pool when the module is destroyed.
 *
 * @example
 * ```ts
 * @Controller('v1')
 * class ProxyController {
 *   constructor(private readonly proxy: ClaudeProxyService) {}
 *   @All('*path') forward(@Req() req: unknown, @Res() res: unknown) { return this.proxy.forward(req, res) }
 * }
 * // providers: [{ provide: ClaudeProxyService, useFactory: () => new ClaudeProxyService({ baseUrl }) }]
 * ```
 */
@Injectable()
export class ClaudeProxyService implements OnModuleDestroy {
  readonly proxy: ClaudeProxy;

  constructor(options: ClaudeProxyOptions | ClaudeProxy = {}) {
    this.proxy = 'forward' in options ? options : createClaudeProxy(options);
  }

  /** Forwards one request; resolves when the reply is complete or abandoned. */
  async forward(request: unknown, response: unknown): Promise<void> {
    const req = request as ClaudeAuthRequest & { raw?: IncomingMessage; body?: unknown };
    const reply = response as { raw?: ServerResponse; hijack?: () => void };
    const auth = req.claudeAuth;
    if (auth === undefined) {
      throw new ConfigurationError(
        'ClaudeProxyService.forward() found no authenticated caller: put the route behind ApiKeyGuard',
        { code: 'CLAUDE_AUTH_MIDDLEWARE_MISSING' },
      );
    }
    const nodeReq = req.raw ?? (request as IncomingMessage);
    const nodeRes = reply.raw ?? (response as ServerResponse);
    reply.hijack?.();
    await this.proxy.forward({
      req: nodeReq,
      res: nodeRes,
      auth,
      url: req.originalUrl ?? req.url ?? nodeReq.url ?? '/',
      ...(req.body !== undefined && nodeReq.readableEnded ? { body: req.body } : {}),
    });
  }

  onModuleDestroy(): void {
    this.proxy.close();
  }
}
