import path from 'node:path';
import { redactUrl } from '@claude-auth/cli';
import { loadConfig } from '@claude-auth/core';
import { startServer, type RunningServer } from './server.js';

const NAME = 'koa-demo';

let server: RunningServer;
try {
  // pnpm runs scripts in the package directory: resolve relative paths (the default
  // sqlite:.claude-auth/claude-auth.db, CLAUDE_AUTH_CONFIG) from where the command was typed, so
  // `pnpm start` and `pnpm claude-auth …` at the repository root share one store.
  const launchDir = process.env.INIT_CWD ?? process.cwd();
  const configFile = process.env.CLAUDE_AUTH_CONFIG;
  const config = loadConfig(configFile ? { file: path.resolve(launchDir, configFile) } : {});
  server = await startServer(config, { cwd: launchDir });
  console.log(`${NAME} listening on ${server.url} (store: ${redactUrl(config.storeUrl)})`);
} catch (error) {
  // One line, no stack: configuration and start-up errors carry no key material.
  console.error(
    `${NAME}: could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`${NAME}: ${signal}, shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(
          `${NAME}: shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(1);
      },
    );
  });
}
