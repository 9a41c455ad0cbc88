import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClaudeAuthConfig } from '@claude-auth/core';
import { createRuntime } from '@claude-auth/cli';
import { createApp } from './app.js';

/** A listening demo server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  /** Stops accepting connections, then closes the authenticator and the runtime. */
  close(): Promise<void>;
}

/**
 * Opens the runtime the configuration names, builds the app and listens on `port` (default
 * `config.port`; 0 picks a free one). A relative SQLite path resolves from `cwd` (default the
 * process's).
 *
 * @example
 * ```ts
 * const server = await startServer(loadConfig());
 * process.once('SIGTERM', () => void server.close());
 * ```
 */
export async function startServer(
  config: ClaudeAuthConfig,
  options: { port?: number; host?: string; cwd?: string } = {},
): Promise<RunningServer> {
  const runtime = await createRuntime(
    config,
    options.cwd === undefined ? {} : { cwd: options.cwd },
  );
  let demo: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    demo = await createApp(runtime);
    const host = options.host ?? '0.0.0.0';
    await demo.app.listen(options.port ?? config.port, host);
    const server = demo.app.getHttpServer() as Server;
    const { port } = server.address() as AddressInfo;
    const { app, authenticator } = demo;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
      port,
      close: () =>
        (closing ??= (async () => {
          server.closeIdleConnections();
          await app.close();
          await authenticator.close();
          await runtime.close();
        })()),
    };
  } catch (error) {
    await demo?.app.close().catch(() => undefined);
    await demo?.authenticator.close().catch(() => undefined);
    await runtime.close();
    throw error;
  }
}
