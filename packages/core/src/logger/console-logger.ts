/** A level-filtering logger over `console` (or any sink of the same shape). */
import type { Logger } from '../auth/types.js';
import { LOG_LEVELS, type LogLevel } from '../config/claude-auth-config.js';
import { ConfigurationError } from '../errors/claude-auth-error.js';

/** Where {@link createConsoleLogger} writes: `console`, or anything with its four methods. */
export type LogSink = Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;

type MessageLevel = Exclude<LogLevel, 'silent'>;
type LogMethod = (message: string, meta?: Record<string, unknown>) => void;

/**
 * A {@link Logger} that writes messages at `level` and above to `sink` (default `console`) and
 * drops the rest; `silent` drops everything. `meta`, when given, is passed as a second argument
 * so structured fields stay structured. It adds nothing of its own (callers never pass key
 * material). An unknown level is a `ConfigurationError`.
 *
 * @example
 * ```ts
 * const config = loadConfig();
 * const logger = createConsoleLogger(config.logLevel); // CLAUDE_AUTH_LOG_LEVEL=warn drops info
 * const authenticator = createAuthenticator({ ...toAuthenticatorOptions(config), store, logger });
 * ```
 */
export function createConsoleLogger(level: LogLevel, sink: LogSink = console): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  if (threshold === -1) {
    throw new ConfigurationError(`Log level must be one of ${LOG_LEVELS.join(', ')}`, {
      code: 'CLAUDE_AUTH_INVALID_CONFIG',
      field: 'logLevel',
    });
  }
  const method = (name: MessageLevel): LogMethod =>
    LOG_LEVELS.indexOf(name) < threshold
      ? () => undefined
      : (message, meta) => {
          if (meta === undefined) sink[name](message);
          else sink[name](message, meta);
        };
  return {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
  };
}
