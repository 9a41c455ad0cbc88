/**
 * The few response operations the guard and the filter need, on both Nest HTTP platforms:
 * Express (`res.setHeader`, a Node `ServerResponse`) and Fastify (`reply.header`, `reply.code`,
 * `reply.send`). Structural checks only: no import of either platform.
 */
import type { ClaudeAuth, RequestHeaders } from '@claude-auth/core';

/**
 * The platform request as the guard sees it: Express `Request` and Fastify `FastifyRequest` both
 * fit (`method`, `url`/`originalUrl`, lower-case `headers`, `ip`, route `params`).
 *
 * @example
 * ```ts
 * const request = context.switchToHttp().getRequest<ClaudeAuthRequest>();
 * request.claudeAuth?.keyId;
 * ```
 */
export interface ClaudeAuthRequest {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers: RequestHeaders;
  ip?: string;
  socket?: { remoteAddress?: string };
  params?: Record<string, string | undefined>;
  /** Set by `ApiKeyGuard` once the key is accepted. */
  claudeAuth?: ClaudeAuth;
}

interface FastifyReplyLike {
  raw: { headersSent: boolean };
  code(status: number): unknown;
  header(name: string, value: string): unknown;
  send(payload: string): unknown;
  readonly sent?: boolean;
}

interface NodeResponseLike {
  headersSent: boolean;
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(payload: string): unknown;
}

/**
 * True for a Fastify reply (it wraps the Node response in `raw` and has `code()`).
 *
 * @example
 * ```ts
 * isFastifyReply(host.switchToHttp().getResponse()); // true under @nestjs/platform-fastify
 * ```
 */
export function isFastifyReply(response: unknown): response is FastifyReplyLike {
  return (
    typeof response === 'object' &&
    response !== null &&
    'raw' in response &&
    typeof (response as Partial<FastifyReplyLike>).code === 'function' &&
    typeof (response as Partial<FastifyReplyLike>).header === 'function'
  );
}

function isNodeResponse(response: unknown): response is NodeResponseLike {
  return (
    typeof response === 'object' &&
    response !== null &&
    typeof (response as Partial<NodeResponseLike>).setHeader === 'function'
  );
}

/**
 * Sets headers on an Express/Node response or a Fastify reply; does nothing once headers are sent.
 *
 * @example
 * ```ts
 * setResponseHeaders(context.switchToHttp().getResponse(), { 'request-id': 'req_123' });
 * ```
 */
export function setResponseHeaders(response: unknown, headers: Record<string, string>): void {
  if (isFastifyReply(response)) {
    if (response.raw.headersSent) return;
    for (const name in headers) response.header(name, headers[name]!);
  } else if (isNodeResponse(response)) {
    if (response.headersSent) return;
    for (const name in headers) response.setHeader(name, headers[name]!);
  }
}

/**
 * Whether the response has already started (headers sent), on either platform.
 *
 * @example
 * ```ts
 * if (!isResponseStarted(response)) sendJson(response, 500, {}, body);
 * ```
 */
export function isResponseStarted(response: unknown): boolean {
  if (isFastifyReply(response)) return response.raw.headersSent || response.sent === true;
  if (isNodeResponse(response)) return response.headersSent;
  return false;
}

/**
 * Writes a complete JSON response (status, headers, body) on either platform.
 *
 * @example
 * ```ts
 * sendJson(response, 401, { 'request-id': id }, { type: 'error', error: { type, message } });
 * ```
 */
export function sendJson(
  response: unknown,
  status: number,
  headers: Record<string, string>,
  body: unknown,
): void {
  const payload = JSON.stringify(body);
  const all = { ...headers, 'content-type': 'application/json' };
  if (isFastifyReply(response)) {
    response.code(status);
    for (const [name, value] of Object.entries(all)) response.header(name, value);
    response.send(payload);
  } else if (isNodeResponse(response)) {
    response.statusCode = status;
    for (const [name, value] of Object.entries(all)) response.setHeader(name, value);
    response.end(payload);
  }
}
