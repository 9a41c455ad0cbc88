/** Which headers cross the gateway, in each direction. */
import type { OutgoingHttpHeaders } from 'node:http';
import type { RequestHeaders } from '../auth/types.js';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and those Node sets itself: never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/** The caller's credentials and gateway-only headers: never sent upstream. */
const CALLER_ONLY = new Set([
  'x-api-key',
  'authorization',
  'cookie',
  'anthropic-workspace-id',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
]);

/** Names listed in a `connection` header are hop-by-hop for this message too. */
function connectionTokens(headers: RequestHeaders): Set<string> | undefined {
  const value = headers.connection;
  // The usual values name no header that could cross (`keep-alive` is hop-by-hop anyway).
  if (value === undefined || value === 'keep-alive' || value === 'close') return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  return new Set(text.split(',').map((token) => token.trim().toLowerCase()));
}

/**
 * The headers to send upstream: the caller's (method-neutral: `anthropic-version`,
 * `anthropic-beta`, `content-type`, `accept`, `user-agent`, `x-stainless-*`, …) without its
 * credentials, cookies, workspace header, forwarding and hop-by-hop headers, plus `credential`
 * (the upstream key's header).
 *
 * @example
 * ```ts
 * upstreamRequestHeaders(req.headers, { 'x-api-key': upstreamKey });
 * ```
 */
export function upstreamRequestHeaders(
  incoming: RequestHeaders,
  credential: Record<string, string>,
): OutgoingHttpHeaders {
  const drop = connectionTokens(incoming);
  const headers: OutgoingHttpHeaders = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || HOP_BY_HOP.has(name) || CALLER_ONLY.has(name)) continue;
    if (drop?.has(name)) continue;
    headers[name] = value;
  }
  for (const name in credential) headers[name] = credential[name];
  return headers;
}

/**
 * The upstream response headers to pass to the caller: all but hop-by-hop ones and
 * `set-cookie`.
 *
 * @example
 * ```ts
 * res.writeHead(upstream.statusCode, callerResponseHeaders(upstream.headers));
 * ```
 */
export function callerResponseHeaders(incoming: RequestHeaders): OutgoingHttpHeaders {
  const drop = connectionTokens(incoming);
  const headers: OutgoingHttpHeaders = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'set-cookie') continue;
    if (drop?.has(name)) continue;
    headers[name] = value;
  }
  return headers;
}
