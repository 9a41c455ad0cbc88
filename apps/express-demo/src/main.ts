import { redactUrl } from '@claude-auth/cli';
import { loadConfig } from '@claude-auth/core';
import { startServer } from './server.js';

const config = loadConfig();
const server = await startServer(config);
console.log(`express-demo listening on ${server.url} (store: ${redactUrl(config.storeUrl)})`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`express-demo: ${signal}, shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(
          'express-demo: shutdown failed',
          error instanceof Error ? error.message : error,
        );
        process.exit(1);
      },
    );
  });
}
