import type { AuthRequest, RequestHeaders } from './types.js';

/** The structural shape of a Node/Express/Koa request that {@link toAuthRequest} reads. */
export interface RequestLike {
  method?: string;
  url?: string;
  /** Express keeps the full URL here when routers rewrite `url`. */
  originalUrl?: string;
  headers: RequestHeaders;
  /** Express/Koa client address (honours `trust proxy` when the app configures it). */
  ip?: string;
  socket?: { remoteAddress?: string };
}

/**
 * The framework-free {@link AuthRequest} for any Node-style request: Node's `IncomingMessage`,
 * Express's `req`, Koa's `ctx.request`, Nest's underlying request. Allocates one small object and
 * copies nothing else (headers are shared, not cloned).
 *
 * @example
 * ```ts
 * app.use(async (req, res, next) => {
 *   const result = await authenticator.authenticate(toAuthRequest(req));
 *   // ...
 * });
 * ```
 */
export function toAuthRequest(req: RequestLike): AuthRequest {
  const ip = req.ip ?? req.socket?.remoteAddress;
  const request: AuthRequest = {
    method: req.method ?? 'GET',
    url: req.originalUrl ?? req.url ?? '/',
    headers: req.headers,
  };
  if (ip !== undefined && ip !== '') request.ip = ip;
  return request;
}
