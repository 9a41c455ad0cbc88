/** Listening and shutting down, the same for every demo whatever its framework. */
import type { Server } from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';
import { createRuntime, type ClaudeAuthRuntime } from '@claude-auth/runtime';
import { createClientErrorHandler, type ClaudeAuthConfig } from '@claude-auth/core';

/** What a demo's framework wiring hands back: an HTTP server not yet listening, and its cleanup. */
export interface DemoApp {
  /** e.g. `http.createServer(expressApp)`; {@link startDemoServer} makes it listen. */
  server: Server;
  /** Releases what the app holds (its authenticator, a Nest application); called after the server stopped. */
  close(): Promise<void>;
}

/** Builds a demo's app on a runtime (store, limiter, logger, authenticator options). */
export type BuildDemoApp = (runtime: ClaudeAuthRuntime) => DemoApp | Promise<DemoApp>;

/** Options of {@link startDemoServer}: all default to the configuration. */
export interface StartServerOptions {
  /** Default `config.port`; 0 picks a free one. */
  port?: number;
  /** Default `config.host` (`127.0.0.1` unless `HOST` says otherwise). */
  host?: string;
  /** Directory relative SQLite paths resolve from; default the process's. */
  cwd?: string;
}

/** A listening demo server. */
export interface RunningServer {
  /** Where to reach it, e.g. `http://127.0.0.1:3000` (loopback when listening on every interface). */
  url: string;
  port: number;
  /** Stops accepting connections, then closes the app and the runtime; idempotent. */
  close(): Promise<void>;
}

/** A demo's `startServer`: what `runService` and `runDemoSuite` take. */
export type StartServer = (
  config: ClaudeAuthConfig,
  options?: StartServerOptions,
) => Promise<RunningServer>;

/**
 * Opens the runtime the configuration names, builds the app with `build` and listens on
 * `options.port ?? config.port` and `options.host ?? config.host`. Requests Node's HTTP parser
 * refuses (oversized headers, malformed request lines) are answered in the contract's JSON shape
 * (`createClientErrorHandler`). If anything fails on the way,
 * what was opened is closed before the error is rethrown.
 *
 * @example
 * ```ts
 * export const startServer: StartServer = (config, options) =>
 *   startDemoServer(config, options, (runtime) => {
 *     const { app, authenticator } = createApp(runtime);
 *     return { server: http.createServer(app), close: () => authenticator.close() };
 *   });
 * ```
 */
export async function startDemoServer(
  config: ClaudeAuthConfig,
  options: StartServerOptions = {},
  build: BuildDemoApp,
): Promise<RunningServer> {
  const runtime = await createRuntime(
    config,
    options.cwd === undefined ? {} : { cwd: options.cwd },
  );
  let demo: DemoApp | undefined;
  try {
    demo = await build(runtime);
    const { server } = demo;
    // Requests Node's parser refuses (a 20 KB header, a malformed request line) get the contract's
    // JSON answer too, unless the framework installed its own listener (Fastify does).
    if (server.listenerCount('clientError') === 0)
      server.on('clientError', createClientErrorHandler({ vocabulary: config.vocabulary }));
    const host = options.host ?? config.host;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? config.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const app = demo;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${reachableHost(host)}:${port}`,
      port,
      close: () =>
        (closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          try {
            await app.close();
          } finally {
            await runtime.close();
          }
        })()),
    };
  } catch (error) {
    await demo?.close().catch(() => undefined);
    await runtime.close().catch(() => undefined);
    throw error;
  }
}

/** The address a client uses to reach `host`: loopback for a wildcard, brackets for IPv6. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return isIPv6(host) ? `[${host}]` : host;
}
