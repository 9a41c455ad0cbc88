import { createClaudeProxy, type ClaudeProxy, type ClaudeProxyOptions } from '@claude-auth/core';
import type { Middleware } from 'koa';
import { getClaudeAuth } from './get-claude-auth.js';

/** The Koa proxy middleware, with the core forwarder behind it (close it on shutdown). */
export type ClaudeProxyMiddleware = Middleware & { proxy: ClaudeProxy };

/**
 * Koa middleware that forwards the authenticated request to the Claude API (see the core's
 * `createClaudeProxy`) and writes the reply itself (`ctx.respond = false`): the caller's
 * credentials are replaced by the upstream key, server-sent events stream through as they come,
 * and the reply's usage is debited to the caller's workspace. Register it after `claudeAuth()`,
 * without a body parser in front (a parsed `ctx.request.body` is re-serialized).
 *
 * @example
 * ```ts
 * app.use(claudeAuth(options));
 * app.use(claudeProxy({ baseUrl: 'https://api.anthropic.com' }));
 * ```
 */
export function claudeProxy(options: ClaudeProxyOptions | ClaudeProxy = {}): ClaudeProxyMiddleware {
  const proxy = 'forward' in options ? options : createClaudeProxy(options);
  const middleware: Middleware = async (ctx) => {
    const auth = getClaudeAuth(ctx);
    const body = (ctx.request as { body?: unknown }).body;
    ctx.respond = false;
    await proxy.forward({
      req: ctx.req,
      res: ctx.res,
      auth,
      url: ctx.originalUrl,
      ...(body !== undefined && ctx.req.readableEnded ? { body } : {}),
    });
  };
  return Object.assign(middleware, { proxy });
}
