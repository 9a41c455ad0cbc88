/** Finding the API key of an outbound caller: option, environment variable, or secret file. */
import { readFile as fsReadFile, stat as fsStat } from 'node:fs/promises';
import type { Logger } from '../auth/types.js';
import { ConfigurationError, MissingApiKeyError } from '../errors/claude-auth-error.js';

/** Where a resolved key came from (the name of the source, never its value). */
export type ApiKeySource = 'option' | 'ANTHROPIC_API_KEY' | 'ANTHROPIC_API_KEY_FILE';

/** An explicit key: the key itself, or a function returning it (e.g. from a secret manager). */
export type ApiKeyOption = string | (() => string | Promise<string>);

/** Options of {@link resolveApiKey}; all optional. */
export interface ResolveApiKeyOptions {
  /** Explicit key or key function; an empty result counts as absent. */
  apiKey?: ApiKeyOption;
  /** Environment to read; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Receives warnings about suspicious keys (quotes, whitespace); never the key itself. */
  logger?: Pick<Logger, 'warn'>;
  /** Reads the secret file; defaults to `fs.promises.readFile`. */
  readFile?: (path: string) => Promise<string | Uint8Array>;
  /**
   * Returns the file's modification time (and size) so an unchanged file is not re-read; defaults
   * to `fs.promises.stat`. When `readFile` is given without `stat`, the file is read every time.
   */
  stat?: (path: string) => Promise<{ mtimeMs: number; size?: number }>;
}

/** The resolved key and the name of its source. */
export interface ResolvedApiKey {
  apiKey: string;
  source: ApiKeySource;
}

interface CachedFile {
  mtimeMs: number;
  size: number | undefined;
  contents: string;
}

/** Secret-file contents per reader function, per path; re-read when mtime or size changes. */
const fileCaches = new WeakMap<object, Map<string, CachedFile>>();

const defaultReadFile = (path: string): Promise<string> => fsReadFile(path, 'utf8');

function errnoLabel(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return typeof code === 'string' ? `unreadable: ${code}` : 'unreadable';
  }
}

/** Trims a candidate key, warning about whitespace or quotes; `undefined` when nothing is left. */
function clean(
  raw: string,
  source: ApiKeySource,
  logger: Pick<Logger, 'warn'> | undefined,
  trimIsExpected: boolean,
): string | undefined {
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  if (trimmed !== raw && !trimIsExpected) {
    logger?.warn('API key has surrounding whitespace; it was stripped', { source });
  }
  const first = trimmed[0];
  const last = trimmed[trimmed.length - 1];
  if (trimmed.length >= 2 && (first === '"' || first === "'") && first === last) {
    logger?.warn('API key is wrapped in quotes; remove them where the key is set', { source });
  }
  return trimmed;
}

async function readSecretFile(
  path: string,
  options: ResolveApiKeyOptions,
): Promise<{ contents: string } | { problem: string }> {
  const read = options.readFile ?? defaultReadFile;
  const stat = options.stat ?? (options.readFile === undefined ? fsStat : undefined);
  try {
    if (stat === undefined) return { contents: decode(await read(path)) };
    const info = await stat(path);
    let cache = fileCaches.get(read);
    if (cache === undefined) {
      cache = new Map();
      fileCaches.set(read, cache);
    }
    const cached = cache.get(path);
    if (cached !== undefined && cached.mtimeMs === info.mtimeMs && cached.size === info.size) {
      return { contents: cached.contents };
    }
    const contents = decode(await read(path));
    cache.set(path, { mtimeMs: info.mtimeMs, size: info.size, contents });
    return { contents };
  } catch (error) {
    return { problem: errnoLabel(error) };
  }
}

function decode(contents: string | Uint8Array): string {
  return typeof contents === 'string' ? contents : new TextDecoder().decode(contents);
}

/**
 * Resolves the API key of an outbound caller, in order: the `apiKey` option (a string or a
 * function, sync or async) → `ANTHROPIC_API_KEY` → `ANTHROPIC_API_KEY_FILE` (a secret file, trimmed,
 * re-read only when its modification time or size changes). Empty values count as absent.
 * Surrounding whitespace is stripped with a warning; surrounding quotes are warned about. Throws
 * {@link MissingApiKeyError} listing every place looked (never a value).
 *
 * @example
 * ```ts
 * const { apiKey, source } = await resolveApiKey({ logger: console });
 * // source: 'option' | 'ANTHROPIC_API_KEY' | 'ANTHROPIC_API_KEY_FILE'
 * const headers = buildHeaders({ apiKey });
 * ```
 */
export async function resolveApiKey(options: ResolveApiKeyOptions = {}): Promise<ResolvedApiKey> {
  const env = options.env ?? process.env;
  const logger = options.logger;
  const searched: string[] = [];

  if (options.apiKey !== undefined) {
    const value: unknown =
      typeof options.apiKey === 'function' ? await options.apiKey() : options.apiKey;
    if (typeof value !== 'string' && value !== undefined && value !== null) {
      throw new ConfigurationError(
        'The apiKey option must be a string or a function returning one',
        {
          code: 'CLAUDE_AUTH_INVALID_OPTION',
          field: 'apiKey',
        },
      );
    }
    const key = typeof value === 'string' ? clean(value, 'option', logger, false) : undefined;
    if (key !== undefined) return { apiKey: key, source: 'option' };
    searched.push('the apiKey option (empty)');
  } else {
    searched.push('the apiKey option (not given)');
  }

  const fromEnv = env.ANTHROPIC_API_KEY;
  const envKey =
    fromEnv === undefined ? undefined : clean(fromEnv, 'ANTHROPIC_API_KEY', logger, false);
  if (envKey !== undefined) return { apiKey: envKey, source: 'ANTHROPIC_API_KEY' };
  searched.push(`ANTHROPIC_API_KEY (${fromEnv === undefined ? 'not set' : 'empty'})`);

  const file = env.ANTHROPIC_API_KEY_FILE?.trim();
  if (file === undefined || file === '') {
    searched.push(`ANTHROPIC_API_KEY_FILE (${file === undefined ? 'not set' : 'empty'})`);
  } else {
    const result = await readSecretFile(file, options);
    if ('contents' in result) {
      const fileKey = clean(result.contents, 'ANTHROPIC_API_KEY_FILE', logger, true);
      if (fileKey !== undefined) return { apiKey: fileKey, source: 'ANTHROPIC_API_KEY_FILE' };
      searched.push(`ANTHROPIC_API_KEY_FILE (${file}: empty file)`);
    } else {
      searched.push(`ANTHROPIC_API_KEY_FILE (${file}: ${result.problem})`);
    }
  }

  throw new MissingApiKeyError(searched);
}
