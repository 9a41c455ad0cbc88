/** `/metrics` in Prometheus text format (prom-client): requests, upstream latency, spend, health. */
import { ConfigurationError, type ClaudeProxy, type ProxyUsage } from '@claude-auth/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Readiness } from './readiness.js';

/**
 * Who may read `/metrics`: `admin` (default: an admin key, as for the admin API), `open` (anyone
 * who can reach the port: put it behind your network policy) or `off` (no route).
 */
export type MetricsMode = 'admin' | 'open' | 'off';

const MODES: readonly MetricsMode[] = ['admin', 'open', 'off'];

/**
 * The mode from `CLAUDE_AUTH_METRICS` (default `admin`); a `ConfigurationError` for anything else.
 *
 * @example
 * ```ts
 * metricsModeFrom({ CLAUDE_AUTH_METRICS: 'open' }); // 'open'
 * ```
 */
export function metricsModeFrom(env: NodeJS.ProcessEnv): MetricsMode {
  const value = env.CLAUDE_AUTH_METRICS?.trim().toLowerCase();
  if (value === undefined || value === '') return 'admin';
  if ((MODES as readonly string[]).includes(value)) return value as MetricsMode;
  throw new ConfigurationError(
    `CLAUDE_AUTH_METRICS must be one of ${MODES.join(', ')} (got ${JSON.stringify(env.CLAUDE_AUTH_METRICS)})`,
    {
      code: 'CLAUDE_AUTH_INVALID_METRICS',
      field: 'CLAUDE_AUTH_METRICS',
    },
  );
}

/** Claude API paths the proxy forwards, as route labels (anything else is `other`). */
const API_ROUTES = [
  '/v1/messages/count_tokens',
  '/v1/messages/batches',
  '/v1/messages',
  '/v1/models',
  '/v1/files',
  '/v1/complete',
  '/v1/skills',
  '/v1/organizations',
  '/healthz',
  '/readyz',
  '/metrics',
];

/**
 * A bounded route label: the Express route that answered (e.g.
 * `/v1/organizations/api_keys/:id`), else a known API path family (`/v1/messages/batches/*`),
 * else `other`, so that callers cannot grow the label set.
 */
export function routeLabel(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return `${req.baseUrl}${route}`;
  const path = (req.originalUrl.split('?')[0] ?? '').replace(/\/+$/, '');
  for (const known of API_ROUTES) {
    if (path === known) return known;
    if (path.startsWith(`${known}/`)) return `${known}/*`;
  }
  return 'other';
}

/** The gateway's metrics on a registry of their own. */
export interface GatewayMetrics {
  readonly registry: Registry;
  /**
   * Counts a request by method, route and status; call it once its response has closed (`close`
   * comes for every response, also one whose client went away mid-stream). The server calls it
   * from the one `close` listener it puts on every response, rather than from a middleware: an
   * Express layer in front of every request costs more than the count itself.
   */
  countClosed(req: IncomingMessage, res: ServerResponse): void;
  /** Wraps the forwarder to time each upstream call, from forwarding to the reply's end. */
  instrument(proxy: ClaudeProxy): ClaudeProxy;
  /** Adds one reply's debited cost and tokens (call from the proxy's `onUsage`). */
  recordUsage(entry: ProxyUsage): void;
  /** The `/metrics` handler. */
  readonly handler: RequestHandler;
}

/**
 * Creates the gateway's metrics: `claude_auth_gateway_requests_total{method,route,status}`,
 * `claude_auth_gateway_upstream_duration_seconds{status}`, `claude_auth_gateway_spend_usd_total`,
 * `claude_auth_gateway_tokens_total{type}`, `claude_auth_gateway_dependency_up{dependency}` (store,
 * redis, upstream: probed at each scrape, 1 up, 0 down, absent when not configured) and Node's
 * process metrics with the `claude_auth_gateway_` prefix.
 *
 * @example
 * ```ts
 * const metrics = createGatewayMetrics({ readiness });
 * app.get('/metrics', requireApiKey({ admin: true }), metrics.handler);
 * http.createServer((req, res) => {
 *   res.once('close', () => metrics.countClosed(req, res));
 *   app(req, res);
 * });
 * ```
 */
export function createGatewayMetrics(options: {
  readiness: () => Promise<Readiness>;
}): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'claude_auth_gateway_' });
  // Per-reply counts are kept in plain numbers and added to the counters at each scrape (their
  // `collect`): prom-client hashes the labels on every `inc`, which costs more than the count.
  const pendingRequests = new Map<
    string,
    { labels: { method: string; route: string; status: string }; count: number }
  >();
  new Counter({
    name: 'claude_auth_gateway_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    collect() {
      for (const pending of pendingRequests.values()) {
        if (pending.count > 0) this.inc(pending.labels, pending.count);
        pending.count = 0;
      }
    },
  });
  const upstream = new Histogram({
    name: 'claude_auth_gateway_upstream_duration_seconds',
    help: 'Forwarded calls, from forwarding to the end of the reply (streams included), by status.',
    labelNames: ['status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const statusLabels = new Map<number, { status: string }>();
  const spend = new Counter({
    name: 'claude_auth_gateway_spend_usd_total',
    help: 'Cost of proxied replies debited to workspaces, in US dollars, at the price table.',
    registers: [registry],
  });
  /** Tokens not yet added to `tokens`; `undefined` until the first reply's usage. */
  let pendingTokens:
    { input: number; output: number; cache_creation: number; cache_read: number } | undefined;
  new Counter({
    name: 'claude_auth_gateway_tokens_total',
    help: 'Tokens of proxied replies, by type.',
    labelNames: ['type'] as const,
    registers: [registry],
    collect() {
      if (pendingTokens === undefined) return;
      for (const type of ['input', 'output', 'cache_creation', 'cache_read'] as const) {
        this.inc({ type }, pendingTokens[type]);
        pendingTokens[type] = 0;
      }
    },
  });
  new Gauge({
    name: 'claude_auth_gateway_dependency_up',
    help: 'Whether a dependency answers (1) or not (0), probed at each scrape: store, redis (limiter, when configured), upstream, upstream_key (the upstream key resolves; not with the offline mock).',
    labelNames: ['dependency'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const { checks } = await options.readiness();
      for (const [dependency, check] of Object.entries(checks)) {
        if (check.status !== 'skipped') this.set({ dependency }, check.ok ? 1 : 0);
      }
    },
  });

  return {
    registry,
    countClosed: (req, res) => {
      const method = req.method ?? 'GET';
      // Express has made `req` its own request by now (route, baseUrl, originalUrl).
      const route = routeLabel(req as Request);
      const status = res.statusCode;
      const key = `${method} ${route} ${status}`;
      const pending = pendingRequests.get(key);
      if (pending !== undefined) pending.count++;
      else {
        pendingRequests.set(key, { labels: { method, route, status: String(status) }, count: 1 });
      }
    },
    instrument: (proxy) => ({
      get baseUrl() {
        return proxy.baseUrl;
      },
      close: () => proxy.close(),
      // `forward` never rejects. One labels object per status, made once: no timer closure and
      // no label merging per call.
      forward: (call) => {
        const started = performance.now();
        return proxy.forward(call).then(() => {
          const status = call.res.statusCode;
          let labels = statusLabels.get(status);
          if (labels === undefined) statusLabels.set(status, (labels = { status: String(status) }));
          upstream.observe(labels, (performance.now() - started) / 1000);
        });
      },
    }),
    recordUsage: (entry) => {
      if (entry.costUsd > 0) spend.inc(entry.costUsd);
      const usage = entry.usage;
      pendingTokens ??= { input: 0, output: 0, cache_creation: 0, cache_read: 0 };
      pendingTokens.input += usage.input_tokens;
      pendingTokens.output += usage.output_tokens;
      pendingTokens.cache_creation += usage.cache_creation_input_tokens ?? 0;
      pendingTokens.cache_read += usage.cache_read_input_tokens ?? 0;
    },
    handler: (_req, res, next) => {
      registry.metrics().then((text) => {
        res.setHeader('content-type', registry.contentType);
        res.setHeader('cache-control', 'no-store');
        res.end(text);
      }, next);
    },
  };
}
