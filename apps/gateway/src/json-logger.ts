/** Structured (JSON lines) logs with key material redacted. */
import { KEY_PATTERN, LOG_LEVELS, type LogLevel, type Logger } from '@claude-auth/core';

const SECRET_FIELDS = /^(x-api-key|authorization|api[-_]?key|secret|password|cookie)$/i;
const KEY_ANYWHERE = new RegExp(KEY_PATTERN.source, 'g');
/** Upstream keys (`sk-ant-…`) and bearer values are redacted wherever they appear. */
const OTHER_SECRETS = /\bsk-ant-[A-Za-z0-9_-]+|\bBearer\s+\S+/g;

/**
 * A value with every claude-auth key, upstream key and bearer token replaced by `[REDACTED]`, and
 * every field named like a credential redacted whole.
 *
 * @example
 * ```ts
 * redact({ apiKey: 'x', note: 'got cla_api_live_…' }); // { apiKey: '[REDACTED]', note: 'got [REDACTED]' }
 * ```
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.replace(KEY_ANYWHERE, '[REDACTED]').replace(OTHER_SECRETS, '[REDACTED]');
  }
  if (typeof value !== 'object' || value === null || depth > 4) return value;
  if (value instanceof Error) return redact(value.message, depth + 1);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    out[name] = SECRET_FIELDS.test(name) ? '[REDACTED]' : redact(item, depth + 1);
  }
  return out;
}

/**
 * A logger writing one JSON object per line (`time`, `level`, `msg`, then the fields) to `write`
 * (default stdout), dropping levels below `level`, with {@link redact} applied to everything.
 *
 * @example
 * ```ts
 * const logger = createJsonLogger('info');
 * logger.info?.('gateway listening', { url });
 * ```
 */
export function createJsonLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => void process.stdout.write(line),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const method =
    (name: Exclude<LogLevel, 'silent'>) =>
    (msg: string, meta?: Record<string, unknown>): void => {
      if (LOG_LEVELS.indexOf(name) < threshold) return;
      const fields = meta === undefined ? {} : (redact(meta) as Record<string, unknown>);
      write(
        `${JSON.stringify({ time: new Date().toISOString(), level: name, msg: redact(msg), ...fields })}\n`,
      );
    };
  return {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
  };
}
