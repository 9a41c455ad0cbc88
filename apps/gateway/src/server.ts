/** Starting and stopping the gateway: runtime, upstream (real or mock), admin bootstrap, listening. */
import { createServer } from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';
import {
  KEY_REGEX,
  UsageBatcher,
  createClaudeProxy,
  resolveApiKey,
  type ClaudeAuthConfig,
  type KeyStore,
  type Logger,
  type PriceTable,
} from '@claude-auth/core';
import { createRedisClient } from '@claude-auth/redis';
import { createGatewayApp } from './app.js';
import { createJsonLogger } from './json-logger.js';
import { createGatewayMetrics, metricsModeFrom, type MetricsMode } from './metrics.js';
import { MOCK_UPSTREAM_KEY, startMockUpstream, type MockUpstream } from './mock-upstream.js';
import { checkReadiness } from './readiness.js';
import { createRuntime } from './runtime.js';

/** Options of {@link startGateway}; all default to the configuration and the environment. */
export interface StartGatewayOptions {
  /** Default `config.port`; 0 picks a free one. */
  port?: number;
  /** Default `config.host`. */
  host?: string;
  /** Directory relative SQLite paths resolve from. */
  cwd?: string;
  /** Where `ANTHROPIC_API_KEY` / `_FILE` are read. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default JSON lines on stdout at `config.logLevel`, keys redacted. */
  logger?: Logger;
  /** In-flight requests (streams) get this long to finish on shutdown. Default 10000. */
  shutdownTimeoutMs?: number;
  /** Pause between the mock upstream's streamed events. Default 20. */
  mockStreamDelayMs?: number;
  /** Per-model prices. Default the configuration's (`prices`, else the core's table). */
  prices?: PriceTable;
  /**
   * Who may read `/metrics`: `admin` (an admin key), `open` or `off`. Default
   * `CLAUDE_AUTH_METRICS` from `env`, else `admin`.
   */
  metrics?: MetricsMode;
  /** Request bodies above this are refused with 413, never forwarded. Default 32 MB (the Claude API's limit). */
  maxBodyBytes?: number;
  /** Prints the one-time admin key (default `console.log`); never logged. */
  print?: (line: string) => void;
}

/** A listening gateway. */
export interface RunningGateway {
  url: string;
  port: number;
  /** `real` (ANTHROPIC_API_KEY/_FILE set) or `mock` (the built-in offline upstream). */
  upstream: 'real' | 'mock';
  /** The upstream base URL (the mock's own when offline). */
  upstreamUrl: string;
  /** The admin key created on first start with an empty store, else undefined. */
  adminKey?: string;
  /** Stops accepting, lets in-flight requests finish (up to the deadline), then closes everything. */
  close(): Promise<void>;
}

/**
 * Starts the gateway on the configuration's store (SQLite by default) and Redis (when set). The
 * upstream is `ANTHROPIC_BASE_URL` (config `upstreamBaseUrl`) with `ANTHROPIC_API_KEY` or
 * `ANTHROPIC_API_KEY_FILE` when either is set, else the built-in offline mock upstream (a
 * warning says so). On an empty store it creates an admin key and prints it once.
 *
 * @example
 * ```ts
 * const gateway = await startGateway(loadConfig(), { port: 8080 });
 * process.on('SIGTERM', () => void gateway.close());
 * ```
 */
export async function startGateway(
  config: ClaudeAuthConfig,
  options: StartGatewayOptions = {},
): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createJsonLogger(config.logLevel);
  const print = options.print ?? ((line: string) => console.log(line));
  // Settings first: a bad one fails the start before anything (the mock upstream) runs.
  const metricsMode = options.metrics ?? metricsModeFrom(env);
  const closers: Array<() => Promise<void> | void> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await Promise.resolve(close()).catch(() => {});
  };

  try {
    const runtime = await createRuntime(config, {
      logger,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    closers.push(() => runtime.close());

    let realKey = Boolean(env.ANTHROPIC_API_KEY) || Boolean(env.ANTHROPIC_API_KEY_FILE);
    if (env.ANTHROPIC_API_KEY !== undefined && KEY_REGEX.test(env.ANTHROPIC_API_KEY.trim())) {
      // A claude-auth key exported for curl (the README's Try it) is a client key, not an upstream one.
      logger.warn(
        'ANTHROPIC_API_KEY holds a claude-auth key (a client key of this gateway), not a Claude API key: ignoring it',
      );
      realKey = Boolean(env.ANTHROPIC_API_KEY_FILE);
    }
    let mock: MockUpstream | undefined;
    if (!realKey) {
      mock = await startMockUpstream({ streamDelayMs: options.mockStreamDelayMs ?? 20 });
      closers.push(() => mock?.close());
      logger.warn(
        'upstream: OFFLINE MOCK (no ANTHROPIC_API_KEY or ANTHROPIC_API_KEY_FILE set): answers are echoes, not Claude',
        { upstream: mock.url },
      );
    } else {
      logger.info?.('upstream: Claude API', { upstream: config.upstreamBaseUrl });
    }
    const upstreamUrl = mock?.url ?? config.upstreamBaseUrl;
    // Resolved per request (the file may appear later, or rotate); checked once now so that a
    // missing or unreadable key is reported at start, not by the first request's 502.
    const upstreamKey = mock
      ? undefined
      : async () => (await resolveApiKey({ env: upstreamEnv(env), logger })).apiKey;
    if (upstreamKey !== undefined) {
      await upstreamKey().catch((error: unknown) => {
        logger.warn(
          'upstream key: not available, requests answer 502 until it is (it is read again for each request)',
          { error: error instanceof Error ? error.message : String(error) },
        );
      });
    }
    let pingRedis: (() => Promise<unknown>) | undefined;
    if (config.redisUrl) {
      const client = createRedisClient(config.redisUrl, { logger });
      closers.push(() =>
        client.quit().then(
          () => undefined,
          () => client.disconnect(),
        ),
      );
      pingRedis = () => client.ping();
    }

    const readiness = () =>
      checkReadiness({
        store: runtime.store,
        upstreamUrl,
        ...(pingRedis === undefined ? {} : { pingRedis }),
        // The reason (which source, which file, why), not only the error's code.
        ...(upstreamKey === undefined
          ? {}
          : {
              upstreamKey: () =>
                upstreamKey().catch((error: unknown) => {
                  throw new Error(error instanceof Error ? error.message : String(error));
                }),
            }),
      });
    const metrics = createGatewayMetrics({ readiness });

    // Usage per key x workspace x model in hourly buckets, written in batches off the request path.
    const usage = new UsageBatcher({ store: runtime.store, logger });
    closers.push(() => usage.close());
    const proxy = metrics.instrument(
      createClaudeProxy({
        baseUrl: upstreamUrl,
        apiKey: upstreamKey ?? MOCK_UPSTREAM_KEY,
        vocabulary: config.vocabulary,
        logger,
        onUsage: (entry) => {
          usage.record(entry);
          metrics.recordUsage(entry);
        },
        prices: options.prices ?? config.prices,
      }),
    );
    closers.push(() => proxy.close());

    const { handler, authenticator } = createGatewayApp({
      authenticatorOptions: runtime.authenticatorOptions,
      proxy,
      flushUsage: () => usage.flush(),
      readiness,
      metrics: { mode: metricsMode, metrics },
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    });
    closers.push(() => authenticator.close());

    let adminKey: string | undefined;
    const existing = await runtime.store.listKeys({ limit: 1 });
    if (existing.data.length === 0) {
      const created = await authenticator.keys.createKey({ name: 'gateway-admin', kind: 'admin' });
      adminKey = created.secret;
      print(
        `gateway: first start on an empty store: created admin key ${created.key.id}. It is shown ONCE, keep it now:\n\n    ${adminKey}\n`,
      );
    } else if (!(await hasActiveAdminKey(runtime.store))) {
      logger.warn(
        `no active admin key in the store: the admin API, the console and /metrics need one. Create one (from the repository root, on the same store) with: ${CREATE_ADMIN_KEY_COMMAND}`,
      );
    }

    // One `close` listener per response, for the in-flight count (graceful shutdown) and the
    // request metrics, put on in the request listener itself (not a second `request` listener).
    let inFlight = 0;
    const counted = metricsMode !== 'off';
    const server = createServer((req, res) => {
      inFlight++;
      res.once('close', () => {
        inFlight--;
        if (counted) metrics.countClosed(req, res);
      });
      handler(req, res);
    });
    server.keepAliveTimeout = 65_000;
    const host = options.host ?? config.host;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? config.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const deadline = options.shutdownTimeoutMs ?? 10_000;

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        const started = Date.now();
        if (inFlight > 0) logger.info?.('shutdown: waiting for in-flight requests', { inFlight });
        // Idle keep-alive connections close now; busy ones as soon as their reply ends.
        while (inFlight > 0 && Date.now() - started < deadline) {
          server.closeIdleConnections();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        if (inFlight > 0)
          logger.warn('shutdown: deadline reached, closing connections', { inFlight });
        server.closeAllConnections();
        await closed;
        await closeAll();
      })());

    return {
      url: `http://${reachableHost(host)}:${port}`,
      port,
      upstream: mock ? 'mock' : 'real',
      upstreamUrl,
      ...(adminKey === undefined ? {} : { adminKey }),
      close,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The CLI command that creates an admin key (the gateway's warning and the READMEs name it). */
export const CREATE_ADMIN_KEY_COMMAND = 'pnpm -s claude-auth keys create --name admin --kind admin';

/** Whether the store holds an active, unexpired admin key. */
async function hasActiveAdminKey(store: KeyStore): Promise<boolean> {
  const now = Date.now();
  let after: string | undefined;
  for (;;) {
    const page = await store.listKeys({
      status: 'active',
      limit: 1000,
      ...(after === undefined ? {} : { after }),
    });
    if (
      page.data.some(
        (key) => key.kind === 'admin' && (key.expiresAt === null || key.expiresAt.getTime() > now),
      )
    ) {
      return true;
    }
    if (!page.hasMore || page.nextCursor === null) return false;
    after = page.nextCursor;
  }
}

/** The environment the upstream key is read from, without a claude-auth key in `ANTHROPIC_API_KEY`. */
function upstreamEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const key = env.ANTHROPIC_API_KEY;
  return key !== undefined && KEY_REGEX.test(key.trim()) ? { ...env, ANTHROPIC_API_KEY: '' } : env;
}

function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return isIPv6(host) ? `[${host}]` : host;
}
