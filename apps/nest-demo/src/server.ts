import type { Server } from 'node:http';
import { startDemoServer, type StartServer } from '@claude-auth/demo-kit';
import { createApp, type DemoPlatform } from './app.js';

/**
 * A `StartServer` for the NestJS demo on one platform: opens the runtime the configuration
 * names and serves the demo on `config.host` and `config.port` (or `options`).
 *
 * @example
 * ```ts
 * const server = await serverOn('fastify')(loadConfig(), { port: 0 });
 * await server.close();
 * ```
 */
export function serverOn(platform: DemoPlatform): StartServer {
  return (config, options) =>
    startDemoServer(config, options, async (runtime) => {
      const { app, authenticator } = await createApp(runtime, platform);
      const close = async (): Promise<void> => {
        try {
          await app.close();
        } finally {
          await authenticator.close();
        }
      };
      try {
        await app.init();
        // Fastify routes requests only once ready (app.listen() would wait for it; we listen ourselves).
        if (platform === 'fastify') {
          await (app.getHttpAdapter().getInstance() as { ready(): PromiseLike<unknown> }).ready();
        }
      } catch (error) {
        await close().catch(() => undefined);
        throw error;
      }
      return { server: app.getHttpServer() as Server, close };
    });
}

/**
 * Opens the runtime the configuration names and serves the NestJS demo (Express platform) on
 * `config.host` and `config.port` (or `options`). Close the result on shutdown.
 *
 * @example
 * ```ts
 * const server = await startServer(loadConfig(), { port: 0 });
 * await fetch(`${server.url}/v1/models`, { headers });
 * await server.close();
 * ```
 */
export const startServer: StartServer = serverOn('express');

/**
 * The same demo on the Fastify platform.
 *
 * @example
 * ```ts
 * const server = await startFastifyServer(loadConfig(), { port: 0 });
 * ```
 */
export const startFastifyServer: StartServer = serverOn('fastify');
