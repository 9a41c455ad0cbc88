import { createClaudeProxy, type ClaudeProxy, type ClaudeProxyOptions } from '@claude-auth/core';
import type { RequestHandler } from 'express';
import { getClaudeAuth } from './get-claude-auth.js';

/** The Express proxy handler, with the core forwarder behind it (close it on shutdown). */
export type ClaudeProxyMiddleware = RequestHandler & { proxy: ClaudeProxy };

/**
 * Express handler that forwards the authenticated request to the Claude API (see the core's
 * `createClaudeProxy`): the caller's credentials are replaced by the upstream key, server-sent
 * events stream through as they come, and the reply's usage is debited to the caller's
 * workspace. Mount it after `claudeAuth()` and without a body parser in front (the body is piped;
 * a parsed `req.body` is re-serialized).
 *
 * @example
 * ```ts
 * app.use(claudeAuth(options));
 * app.use('/v1', claudeProxy({ baseUrl: 'https://api.anthropic.com' }));
 * ```
 */
export function claudeProxy(options: ClaudeProxyOptions | ClaudeProxy = {}): ClaudeProxyMiddleware {
  const proxy = 'forward' in options ? options : createClaudeProxy(options);
  const middleware: RequestHandler = (req, res, next) => {
    let auth;
    try {
      auth = getClaudeAuth(req);
    } catch (error) {
      next(error);
      return;
    }
    const body: unknown = req.body;
    void proxy.forward({
      req,
      res,
      auth,
      url: req.originalUrl,
      ...(body !== undefined && req.readableEnded ? { body } : {}),
    });
  };
  return Object.assign(middleware, { proxy });
}
