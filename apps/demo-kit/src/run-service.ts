/** The process around a demo server: configuration, launch directory, signals, exit codes. */
import path from 'node:path';
import { redactUrl } from '@claude-auth/runtime';
import { loadConfig } from '@claude-auth/core';
import type { RunningServer, StartServer } from './start-demo-server.js';

/** Options of {@link runService}. */
export interface RunServiceOptions {
  /** Prefix of every line the process prints, e.g. `express-demo`. Default `demo`. */
  name?: string;
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a demo as a process: loads the configuration (`CLAUDE_AUTH_CONFIG` and relative SQLite
 * paths resolve from `INIT_CWD`, the directory `pnpm` was typed in, so `pnpm start` and
 * `pnpm claude-auth …` at the repository root share one store), starts the server and prints
 * `<name> listening on <url> (store: <url without password>)`. SIGTERM / SIGINT close it cleanly
 * and exit 0 (repeated signals during the shutdown are ignored). A start-up failure prints one line
 * without a stack and exits 1; a busy port suggests setting `PORT`.
 *
 * @example
 * ```ts
 * // src/main.ts
 * await runService(startServer, { name: 'express-demo' });
 * ```
 */
export async function runService(
  start: StartServer,
  options: RunServiceOptions = {},
): Promise<RunningServer> {
  const name = options.name ?? 'demo';
  const env = options.env ?? process.env;
  let server: RunningServer;
  let storeUrl: string;
  try {
    // pnpm runs scripts in the package directory; resolve from where the command was typed.
    const launchDir = env.INIT_CWD ?? process.cwd();
    const configFile = env.CLAUDE_AUTH_CONFIG;
    const config = loadConfig({
      env,
      ...(configFile ? { file: path.resolve(launchDir, configFile) } : {}),
    });
    server = await start(config, { cwd: launchDir });
    storeUrl = redactUrl(config.storeUrl);
  } catch (error) {
    // One line, no stack: configuration and start-up errors carry no key material.
    console.error(`${name}: could not start: ${startFailure(error, env)}`);
    process.exit(1);
  }

  // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal, and forwarded by
  // `pnpm`), and a second SIGINT without a listener would kill it mid-shutdown (exit 130, and
  // pnpm's "ELIFECYCLE Command failed"). Signals during the shutdown are ignored.
  let shuttingDown = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (shuttingDown) return;
      shuttingDown = true;
      console.log(`${name}: ${signal}, shutting down`);
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`${name}: shutdown failed: ${messageOf(error)}`);
          process.exit(1);
        },
      );
    });
  }
  // Only now that the handlers are in place: a signal sent on seeing this line (a supervisor, a
  // test) must reach them, not the default action that kills the process.
  console.log(`${name} listening on ${server.url} (store: ${storeUrl})`);
  return server;
}

/** One line for a start-up failure; a busy port names the way out. */
function startFailure(error: unknown, env: NodeJS.ProcessEnv): string {
  const busy = error as (NodeJS.ErrnoException & { port?: number }) | undefined;
  if (busy?.code === 'EADDRINUSE') {
    const port = busy.port ?? Number(env.PORT ?? 3000);
    return (
      `port ${port} is already in use (another service, or a demo still running?). ` +
      `Set PORT to a free port, e.g. PORT=${port + 1} pnpm start`
    );
  }
  return messageOf(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
