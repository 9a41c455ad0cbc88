import { createServer } from 'node:http';
import { startDemoServer, type StartServer } from '@claude-auth/demo-kit';
import { createApp } from './app.js';

/**
 * Opens the runtime the configuration names and serves the Express demo on `config.host` and
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
  startDemoServer(config, options, (runtime) => {
    const { app, authenticator } = createApp(runtime);
    return { server: createServer(app), close: () => authenticator.close() };
  });
