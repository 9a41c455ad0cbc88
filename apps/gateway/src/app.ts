import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import {
  DEFAULT_API_VERSION,
  createAuthenticator,
  type Authenticator,
  type AuthenticatorOptions,
  type ClaudeProxy,
} from '@claude-auth/core';
import {
  claudeAuth,
  claudeAuthErrorHandler,
  claudeAuthNotFound,
  claudeProxy,
  requireApiKey,
} from '@claude-auth/express';
import { adminApi } from './admin/admin-api.js';
import type { GatewayMetrics, MetricsMode } from './metrics.js';
import type { Readiness } from './readiness.js';
import { consoleStatic } from './console-static.js';
import { DEFAULT_MAX_BODY_BYTES, bodyLimit } from './body-limit.js';

const defaultVersion: RequestHandler = (req, _res, next) => {
  req.headers['anthropic-version'] ??= DEFAULT_API_VERSION;
  next();
};

/** What {@link createGatewayApp} wires together. */
export interface GatewayAppOptions {
  authenticatorOptions: AuthenticatorOptions;
  /** The forwarder to the upstream (real or mock). */
  proxy: ClaudeProxy;
  /** `/readyz`'s answer. */
  readiness: () => Promise<Readiness>;
  /** Writes pending usage, so a usage or cost report includes every finished request. */
  flushUsage?: () => Promise<void>;
  /**
   * `/metrics` and who may read it (`admin`, `open`, `off`). Default: no `/metrics`. Requests are
   * counted by the server (`metrics.count` on its `request` event), not here.
   */
  metrics?: { mode: MetricsMode; metrics: GatewayMetrics };
  /** Request bodies above this are refused with 413 and never forwarded. Default 32 MB (the Claude API's limit). */
  maxBodyBytes?: number;
}

/** The gateway's Express app and the authenticator behind it (close it on shutdown). */
export interface GatewayApp {
  app: Express;
  /**
   * The `node:http` request listener to serve: a proxied Claude API call (`/v1/*` other than the
   * admin API) runs the same `claudeAuth`, body-limit and `claudeProxy` middleware as `app` but without
   * Express's routing; every other request goes to `app`.
   */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  authenticator: Authenticator;
}

/**
 * Whether Express would hand this URL to the `/v1` proxy: lower-case `/v1/`, not the admin API
 * (its routing is case-insensitive: anything that merely could be `/v1/organizations` goes to
 * Express, as does any other spelling of `/v1`).
 */
function isProxiedCall(url: string | undefined): boolean {
  return (
    url !== undefined &&
    url.startsWith('/v1/') &&
    !url.slice(4, 17).toLowerCase().startsWith('organizations')
  );
}

/**
 * The gateway: `/healthz` and `/readyz` without a key; everything else authenticated with the
 * caller's claude-auth key (workspace, rate and spend limits) and `/v1/*` forwarded upstream.
 * The admin API (`/v1/organizations/*`, admin keys only) is served here, never forwarded. Every
 * error is in the contract's JSON shape.
 *
 * @example
 * ```ts
 * const { app } = createGatewayApp({ authenticatorOptions, proxy, readiness });
 * http.createServer(app).listen(8080);
 * ```
 */
export function createGatewayApp(options: GatewayAppOptions): GatewayApp {
  const authenticator = createAuthenticator(options.authenticatorOptions);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const metrics = options.metrics?.mode === 'off' ? undefined : options.metrics;

  app.use('/console', consoleStatic()); // the web console: static files, no key, strict CSP
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res, next) => {
    options.readiness().then((readiness) => {
      res.status(readiness.ready ? 200 : 503).json(readiness);
    }, next);
  });

  if (metrics?.mode === 'open') app.get('/metrics', metrics.metrics.handler);
  // A scraper sends a key (Prometheus: `authorization: { credentials: ... }`), not API headers:
  // /metrics is not a Claude API route, so it needs no anthropic-version.
  if (metrics?.mode === 'admin') app.get('/metrics', defaultVersion);

  const authenticate = claudeAuth({ authenticator });
  const forward = claudeProxy(options.proxy);
  app.use(authenticate);
  const notFound = claudeAuthNotFound({ authenticator });
  app.use(
    '/v1/organizations',
    adminApi({ authenticator, flushUsage: options.flushUsage }),
    notFound,
  );
  const limitBody = bodyLimit(
    options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    authenticator.options.vocabulary,
  );
  app.use('/v1', limitBody, forward);
  // After the proxy, so that proxied requests never pass this layer.
  if (metrics?.mode === 'admin') {
    app.get('/metrics', requireApiKey({ admin: true }), metrics.metrics.handler);
  }
  app.use(notFound);
  const onError = claudeAuthErrorHandler({ authenticator });
  app.use(onError);

  // A proxied call passes no other layer of `app` (the routes before `claudeAuth` never match
  // `/v1/*`): run its middleware (authentication, body limit, forwarder) directly, as Express
  // would, minus the routing.
  // Defined once, not per request (a closure per call, and under tsx a `__name` call per closure).
  const fail = (req: Request, res: Response, error: unknown): void => {
    try {
      // Express's last resort once a reply has started: drop the connection.
      onError(error, req, res, () => res.destroy());
    } catch {
      res.destroy();
    }
  };
  const run = (middleware: RequestHandler, req: Request, res: Response, next: () => void): void => {
    try {
      void middleware(req, res, (error?: unknown) => {
        if (error !== undefined) fail(req, res, error);
        else next();
      });
    } catch (error) {
      fail(req, res, error);
    }
  };
  const handler = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    if (!isProxiedCall(incoming.url)) {
      app(incoming, outgoing);
      return;
    }
    const req = incoming as Request;
    const res = outgoing as Response;
    req.originalUrl = req.url;
    run(authenticate, req, res, () =>
      run(limitBody, req, res, () =>
        run(forward, req, res, () =>
          notFound(req, res, (error?: unknown) => fail(req, res, error)),
        ),
      ),
    );
  };
  return { app, handler, authenticator };
}
