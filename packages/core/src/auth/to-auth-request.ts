import type { TrustProxy } from './trust-proxy.js';
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

function addressOf(req: RequestLike, trust?: TrustProxy): string | undefined {
  // With a `TrustProxy` (what the adapters pass) core alone decides, from the socket's peer and
  // `x-forwarded-for`; the framework's own `req.ip` (its trust-proxy setting) is not consulted.
  if (trust !== undefined)
    return trust.clientAddress(req.socket?.remoteAddress, req.headers['x-forwarded-for']);
  const ip = req.ip ?? req.socket?.remoteAddress;
  return ip === '' ? undefined : ip;
}

/**
 * The framework-free {@link AuthRequest} for any Node-style request: Node's `IncomingMessage`,
 * Express's `req`, Koa's `ctx.request`, Nest's underlying request. Allocates one small object and
 * copies nothing else (headers are shared, not cloned). Reads the client address at once; see
 * {@link toLazyAuthRequest} for the form the adapters use.
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
  const ip = addressOf(req);
  const request: AuthRequest = {
    method: req.method ?? 'GET',
    url: req.originalUrl ?? req.url ?? '/',
    headers: req.headers,
  };
  if (ip !== undefined) request.ip = ip;
  return request;
}

/** Marks an address not read yet (`undefined` is an answer: no address known). */
const UNREAD = Symbol('unread');

/**
 * An {@link AuthRequest} whose `ip` is a getter on the prototype, read on first access and then
 * remembered. A class, not an object literal with an accessor: V8 gives literal accessors new
 * closures per object, and those objects outlived young-generation collections (a server then
 * spent about 10 % of its time in GC).
 */
class LazyAuthRequest implements AuthRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: RequestHeaders;
  readonly #req: RequestLike;
  readonly #trust: TrustProxy | undefined;
  #ip: string | undefined | typeof UNREAD = UNREAD;

  constructor(req: RequestLike, trust: TrustProxy | undefined) {
    this.method = req.method ?? 'GET';
    this.url = req.originalUrl ?? req.url ?? '/';
    this.headers = req.headers;
    this.#req = req;
    this.#trust = trust;
  }

  get ip(): string | undefined {
    if (this.#ip === UNREAD) this.#ip = addressOf(this.#req, this.#trust);
    return this.#ip;
  }

  set ip(value: string | undefined) {
    this.#ip = value;
  }
}

/**
 * Like {@link toAuthRequest}, but the client address is read **lazily**, on first access of
 * `ip`: Express's and Koa's `req.ip` getters parse forwarding headers (`trust proxy`) on every
 * call, and the pipeline needs the address only when the failed-attempts limiter is involved (a
 * failure to count, or some address that may be over its limit), which a request with a valid
 * key usually is not. `ip` is an accessor on the prototype: the result has no own `ip` property,
 * so spreading it (`{ ...request }`) drops the address; read `request.ip` instead. With `trust`
 * (the authenticator's resolved `trustProxy`, what every adapter passes) the address comes from the
 * socket's peer and `x-forwarded-for` as that setting says; without it, from `req.ip`.
 *
 * @example
 * ```ts
 * const result = await authenticator.authenticate(
 *   toLazyAuthRequest(req, authenticator.options.trustProxy),
 * );
 * ```
 */
export function toLazyAuthRequest(req: RequestLike, trust?: TrustProxy): AuthRequest {
  return new LazyAuthRequest(req, trust);
}
