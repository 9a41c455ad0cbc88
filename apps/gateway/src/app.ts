import express, { type Express, type RequestHandler } from 'express';
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
  authenticator: Authenticator;
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

  app.use(claudeAuth({ authenticator }));
  const notFound = claudeAuthNotFound({ authenticator });
  app.use(
    '/v1/organizations',
    adminApi({ authenticator, flushUsage: options.flushUsage }),
    notFound,
  );
  app.use(
    '/v1',
    bodyLimit(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, authenticator.options.vocabulary),
    claudeProxy(options.proxy),
  );
  // After the proxy, so that proxied requests never pass this layer.
  if (metrics?.mode === 'admin') {
    app.get('/metrics', requireApiKey({ admin: true }), metrics.metrics.handler);
  }
  app.use(notFound);
  app.use(claudeAuthErrorHandler({ authenticator }));
  return { app, authenticator };
}
