// `pnpm start`: the gateway as a process (configuration, signals, exit codes via demo-kit's runService).
import { DEFAULT_CONFIG } from '@claude-auth/core';
import { runService } from '@claude-auth/demo-kit';
import { startGateway } from './server.js';

await runService(
  (config, options) =>
    startGateway(config, {
      ...options,
      // The gateway's own default port is 8080 (PORT or the config file's `port` win).
      port:
        options?.port ??
        (config.port === DEFAULT_CONFIG.port && !process.env.PORT ? 8080 : config.port),
    }),
  { name: 'gateway' },
);
