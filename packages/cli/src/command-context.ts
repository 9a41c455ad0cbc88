import path from 'node:path';
import { KeyManager, loadConfig, type ClaudeAuthConfig, type Logger } from '@claude-auth/core';
import { createRuntime, parseStoreUrl } from '@claude-auth/runtime';
import { InvalidInputError } from './exit-codes.js';
import { formatJson } from './format.js';

/** Where `run` reads and writes: injectable so tests run the CLI in-process. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The global options every command sees. */
export interface GlobalOptions {
  store?: string;
  json?: boolean;
  /** `--create-dirs`: create a missing directory of a `sqlite:` store. */
  createDirs?: boolean;
}

/**
 * What a command group needs: the I/O, the global options, and a scoped key manager.
 *
 * @example
 * ```ts
 * await ctx.withKeys(async (keys) => ctx.print(formatKeyDetails(view), view));
 * ```
 */
export class CommandContext {
  readonly io: CliIo;
  readonly #globals: () => GlobalOptions;

  constructor(io: CliIo, globals: () => GlobalOptions) {
    this.io = io;
    this.#globals = globals;
  }

  /** True under `--json`. */
  get json(): boolean {
    return this.#globals().json === true;
  }

  /**
   * The resolved configuration: `--store` over `CLAUDE_AUTH_STORE_URL` over the config file
   * (`CLAUDE_AUTH_CONFIG`, relative to the working directory) over the defaults. A `memory:`
   * store is refused: what a command wrote would be gone when it exits.
   */
  config(): ClaudeAuthConfig {
    const store = this.#globals().store;
    if (store !== undefined) parseStoreUrl(store); // a CLI-worded error before loadConfig's
    const file = this.io.env['CLAUDE_AUTH_CONFIG'];
    const config = loadConfig({
      env: this.io.env,
      ...(file === undefined || file === '' ? {} : { file: path.resolve(this.io.cwd, file) }),
      ...(store === undefined ? {} : { overrides: { storeUrl: store } }),
    });
    if (parseStoreUrl(config.storeUrl).kind === 'memory') {
      throw new InvalidInputError(
        'The memory: store lives only inside one process, so a command would lose what it wrote: ' +
          'use sqlite:<path> or a postgres:// URL (--store or CLAUDE_AUTH_STORE_URL).',
      );
    }
    return config;
  }

  /**
   * Opens the runtime (store, and the Redis invalidation bus when configured, so that running
   * services drop revoked keys at once), runs `fn` with a key manager, then closes everything.
   */
  async withKeys<T>(fn: (keys: KeyManager) => Promise<T>): Promise<T> {
    const config = this.config();
    const logger = this.#logger();
    const runtime = await createRuntime(config, {
      cwd: this.io.cwd,
      logger,
      createDirectories: this.#globals().createDirs === true,
    });
    const keys = new KeyManager({
      store: runtime.store,
      logger,
      environment: config.environment,
      usageFlushIntervalMs: 0,
      ...(runtime.invalidation === undefined ? {} : { invalidation: runtime.invalidation }),
    });
    try {
      return await fn(keys);
    } finally {
      try {
        await keys.close();
      } finally {
        await runtime.close();
      }
    }
  }

  /** Warnings go to stderr as `claude-auth: warning: …` lines; their metadata is dropped. */
  #logger(): Logger {
    const write = (message: string): void => {
      this.io.stderr.write(`claude-auth: warning: ${message.replace(/^claude-auth:\s*/, '')}\n`);
    };
    return { warn: write, error: write };
  }

  /** Writes the human text, or `data` as JSON under `--json`, to stdout. */
  print(human: string, data: unknown): void {
    this.io.stdout.write(this.json ? formatJson(data) : human);
  }

  /** Writes a notice line to stderr (never to stdout, so output stays pipeable). */
  notice(message: string): void {
    this.io.stderr.write(`${message}\n`);
  }
}
