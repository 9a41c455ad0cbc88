/** Building the headers of an outbound Claude API request, and redacting headers for logs. */
import { ConfigurationError } from '../errors/claude-auth-error.js';
import type { Logger } from '../auth/types.js';
import {
  API_VERSIONS,
  DEFAULT_API_VERSION,
  isVersionString,
  type ApiVersion,
} from '../versions.js';

/** How the key is sent: `x-api-key: <key>` (the spec's, default) or `Authorization: Bearer <key>`. */
export type AuthScheme = 'x-api-key' | 'bearer';

/** What {@link buildHeaders} needs: the key, and optionally version, scheme, betas and workspace. */
export interface BuildHeadersOptions {
  /** The secret API key. Printable ASCII, no whitespace. Never appears in an error message. */
  apiKey: string;
  /**
   * The `anthropic-version`: any date `YYYY-MM-DD`; defaults to {@link DEFAULT_API_VERSION}
   * (`2023-06-01`). A version the registry does not know is sent with one warning.
   */
  version?: ApiVersion;
  /** `x-api-key` (default) or `bearer` (`Authorization: Bearer <key>`, as SDK 1.x sends it). */
  authScheme?: AuthScheme;
  /** Receives the one warning per unknown version. Default `console`. */
  logger?: Pick<Logger, 'warn'>;
  /** Beta feature names, sent comma-joined in `anthropic-beta` (duplicates dropped). */
  betas?: readonly string[];
  /** The workspace to act in (`wrkspc_…`), sent as `anthropic-workspace-id`. */
  workspaceId?: string;
}

/**
 * The headers of an outbound request, with lower-case names: the credential (`x-api-key`, or
 * `authorization` under the `bearer` scheme), `anthropic-version` and `content-type`, plus
 * `anthropic-beta` and `anthropic-workspace-id` when given. Assignable to `Record<string, string>`
 * and to fetch's `HeadersInit`.
 */
export type ClaudeRequestHeaders = Record<string, string> & {
  'anthropic-version': ApiVersion;
  'content-type': 'application/json';
};

/** Versions already warned about, so each unknown one is reported once per process. */
const warnedVersions = new Set<string>();

const BETA_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const WORKSPACE_PATTERN = /^wrkspc_[A-Za-z0-9]{1,120}$/;
const MAX_KEY_LENGTH = 1024;

/** Describes why a key is unusable, without ever echoing any of it. */
function apiKeyProblem(apiKey: unknown): string | undefined {
  if (typeof apiKey !== 'string') return 'must be a string';
  if (apiKey.length === 0) return 'must not be empty';
  if (apiKey.length > MAX_KEY_LENGTH) return `must be at most ${MAX_KEY_LENGTH} characters`;
  for (let i = 0; i < apiKey.length; i++) {
    const code = apiKey.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
      return 'must not contain whitespace (check for a stray space or newline)';
    }
    if (code < 0x20 || code === 0x7f) return 'must not contain control characters';
    if (code > 0x7e) return 'must contain only ASCII characters';
  }
  return undefined;
}

/** Shows a short, printable rendering of a non-secret value for error messages. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const clipped = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(clipped);
}

/**
 * Builds the headers every Claude API request needs: the key (`x-api-key`, or
 * `Authorization: Bearer` with `authScheme: 'bearer'`), `anthropic-version` (any `YYYY-MM-DD`,
 * default `2023-06-01`; one warning for a version the registry does not know),
 * `content-type: application/json`, plus `anthropic-beta` and `anthropic-workspace-id` when
 * given. Invalid input throws a {@link ConfigurationError} whose message never contains the key.
 *
 * @example
 * ```ts
 * const headers = buildHeaders({ apiKey: process.env.ANTHROPIC_API_KEY!, betas: ['prompt-caching-2024-07-31'] });
 * await fetch('https://api.anthropic.com/v1/messages', { method: 'POST', headers, body });
 * buildHeaders({ apiKey, version: '2026-10-21', authScheme: 'bearer' }).authorization; // 'Bearer …'
 * ```
 */
export function buildHeaders(options: BuildHeadersOptions): ClaudeRequestHeaders {
  const problem = apiKeyProblem(options.apiKey);
  if (problem !== undefined) {
    throw new ConfigurationError(`apiKey ${problem}`, {
      code: 'CLAUDE_AUTH_INVALID_API_KEY_OPTION',
      field: 'apiKey',
    });
  }

  const version = options.version ?? DEFAULT_API_VERSION;
  if (!isVersionString(version)) {
    throw new ConfigurationError(
      `version must be a date YYYY-MM-DD, e.g. ${Object.keys(API_VERSIONS).join(', ')} (got ${show(version)})`,
      { code: 'CLAUDE_AUTH_INVALID_OPTION', field: 'version' },
    );
  }
  if (!Object.hasOwn(API_VERSIONS, version) && !warnedVersions.has(version)) {
    warnedVersions.add(version);
    (options.logger ?? console).warn(
      `claude-auth: anthropic-version ${version} is not in the version registry; sending it anyway`,
    );
  }
  const scheme = options.authScheme ?? 'x-api-key';
  if (scheme !== 'x-api-key' && scheme !== 'bearer') {
    throw new ConfigurationError(`authScheme must be x-api-key or bearer (got ${show(scheme)})`, {
      code: 'CLAUDE_AUTH_INVALID_OPTION',
      field: 'authScheme',
    });
  }

  const headers = {} as ClaudeRequestHeaders;
  if (scheme === 'bearer') headers.authorization = `Bearer ${options.apiKey}`;
  else headers['x-api-key'] = options.apiKey;
  headers['anthropic-version'] = version;
  headers['content-type'] = 'application/json';

  if (options.betas !== undefined) {
    if (!Array.isArray(options.betas)) {
      throw new ConfigurationError('betas must be an array of beta names', {
        code: 'CLAUDE_AUTH_INVALID_OPTION',
        field: 'betas',
      });
    }
    const betas: string[] = [];
    for (const beta of options.betas as readonly unknown[]) {
      if (typeof beta !== 'string' || !BETA_PATTERN.test(beta)) {
        throw new ConfigurationError(
          `betas entries must be beta names of letters, digits, '.', '_' and '-' (got ${show(beta)})`,
          { code: 'CLAUDE_AUTH_INVALID_OPTION', field: 'betas' },
        );
      }
      if (!betas.includes(beta)) betas.push(beta);
    }
    if (betas.length > 0) headers['anthropic-beta'] = betas.join(',');
  }

  if (options.workspaceId !== undefined) {
    if (typeof options.workspaceId !== 'string' || !WORKSPACE_PATTERN.test(options.workspaceId)) {
      throw new ConfigurationError(
        `workspaceId must look like wrkspc_ followed by letters and digits (got ${show(options.workspaceId)})`,
        { code: 'CLAUDE_AUTH_INVALID_OPTION', field: 'workspaceId' },
      );
    }
    headers['anthropic-workspace-id'] = options.workspaceId;
  }

  return headers;
}

/**
 * Header names whose values {@link redactHeaders} masks (lower-case).
 *
 * @example
 * ```ts
 * SENSITIVE_HEADERS.has('x-api-key'); // true
 * ```
 */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  'x-api-key',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
]);

/**
 * What replaces a sensitive header value.
 *
 * @example
 * ```ts
 * redactHeaders({ 'x-api-key': 'sk-…' })['x-api-key'] === REDACTED; // true
 * ```
 */
export const REDACTED = '[REDACTED]';

/** A header value as found in Node's `IncomingHttpHeaders`, `OutgoingHttpHeaders` or fetch init. */
export type HeaderValue = string | number | readonly string[] | undefined;

/** Headers as a list of `[name, value]` pairs (fetch's `HeadersInit` form). */
export type HeaderTuples = ReadonlyArray<readonly [string, string]>;

function isSensitive(name: string): boolean {
  return SENSITIVE_HEADERS.has(name.toLowerCase());
}

function maskValue<V extends HeaderValue>(value: V): V {
  if (value === undefined) return value;
  if (Array.isArray(value)) return value.map(() => REDACTED) as unknown as V;
  return REDACTED as V;
}

/**
 * A copy of `headers` safe to log: the values of `x-api-key`, `authorization`,
 * `proxy-authorization`, `cookie` and `set-cookie` (any case) become `[REDACTED]`. Accepts a plain
 * object (values may be arrays, as Node gives `set-cookie`), a list of `[name, value]` pairs, or a
 * fetch `Headers` (returned as a plain object with lower-case names). The input is never changed.
 *
 * @example
 * ```ts
 * logger.debug('upstream request', { headers: redactHeaders(headers) });
 * // { 'x-api-key': '[REDACTED]', 'anthropic-version': '2023-06-01', ... }
 * ```
 */
export function redactHeaders(headers: Headers): Record<string, string>;
export function redactHeaders(headers: HeaderTuples): Array<[string, string]>;
export function redactHeaders<T extends Record<string, HeaderValue>>(headers: T): T;
export function redactHeaders(
  headers: Headers | HeaderTuples | Record<string, HeaderValue>,
): Record<string, string> | Array<[string, string]> | Record<string, HeaderValue> {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    const out: Record<string, string> = {};
    headers.forEach((value, name) => {
      out[name] = isSensitive(name) ? REDACTED : value;
    });
    // `forEach` joins set-cookie values; getSetCookie keeps them apart but both are masked anyway.
    return out;
  }
  if (Array.isArray(headers)) {
    return (headers as HeaderTuples).map(([name, value]): [string, string] => [
      name,
      isSensitive(name) ? REDACTED : value,
    ]);
  }
  const record = headers as Record<string, HeaderValue>;
  const out: Record<string, HeaderValue> = {};
  for (const name of Object.keys(record)) {
    const value = record[name];
    out[name] = isSensitive(name) ? maskValue(value) : value;
  }
  return out;
}
