import type { Server } from 'node:http';
import { startDemoServer, type StartServer } from '@claude-auth/demo-kit';
import { createApp } from './app.js';

/**
 * Opens the runtime the configuration names and serves the NestJS demo on `config.host` and
 * `config.port` (or `options`). Close the result on shutdown.
 *
 * @example
 * ```ts
 * const server = await startServer(loadConfig(), { port: 0 });
 * await fetch(`${server.url}/v1/models`, { headers });
 * await server.close();
 * ```
 */
export const startServer: StartServer = (config, options) =>
  startDemoServer(config, options, async (runtime) => {
    const { app, authenticator } = await createApp(runtime);
    const close = async (): Promise<void> => {
      try {
        await app.close();
      } finally {
        await authenticator.close();
      }
    };
    try {
      await app.init();
    } catch (error) {
      await close().catch(() => undefined);
      throw error;
    }
    return { server: app.getHttpServer() as Server, close };
  });
