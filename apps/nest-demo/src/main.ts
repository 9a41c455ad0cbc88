import { redactUrl } from '@claude-auth/cli';
import { loadConfig } from '@claude-auth/core';
import { startServer, type RunningServer } from './server.js';

const NAME = 'nest-demo';

let server: RunningServer;
try {
  const config = loadConfig();
  server = await startServer(config);
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
