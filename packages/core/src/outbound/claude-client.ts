/** A small fetch-based Claude API client: key resolution, headers, timeouts, retries, typed errors. */
import type { Logger } from '../auth/types.js';
import { ApiError, ConfigurationError } from '../errors/claude-auth-error.js';
import type { ApiVersion } from '../versions.js';
import { ApiConnectionError, ApiTimeoutError } from './api-connection-error.js';
import { buildHeaders, type AuthScheme } from './headers.js';
import { parseErrorResponse, parseRetryAfter } from './parse-error-response.js';
import { resolveApiKey, type ApiKeyOption } from './resolve-api-key.js';

/** Options of {@link createClaudeClient}; all optional. */
export interface ClaudeClientOptions {
  /** Key or key function; otherwise `ANTHROPIC_API_KEY`, then `ANTHROPIC_API_KEY_FILE` (resolved per request). */
  apiKey?: ApiKeyOption;
  /** Defaults to `ANTHROPIC_BASE_URL`, then `https://api.anthropic.com`. */
  baseUrl?: string;
  /** `anthropic-version`: any `YYYY-MM-DD` (unknown ones warn once); default `2023-06-01`. */
  version?: ApiVersion;
  /** How the key is sent: `x-api-key` (default) or `bearer` (`Authorization: Bearer`). */
  authScheme?: AuthScheme;
  /** Sent as `anthropic-beta`. */
  betas?: readonly string[];
  /** Sent as `anthropic-workspace-id`. */
  workspaceId?: string;
  /** Per attempt, in ms. Default 600000 (10 minutes). */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  /** Backoff without a server hint: `initialMs * 2^retry`, capped at `maxMs`, minus up to 25 % jitter. Default 500 / 8000. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
  /** Environment for the key and base URL; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Receives retry notices and key warnings; never key material. */
  logger?: Pick<Logger, 'warn'> & Partial<Pick<Logger, 'debug'>>;
}

/** Per-call options. */
export interface ClaudeRequestOptions {
  /** Aborts the call (and any wait between retries); the signal's reason is thrown. */
  signal?: AbortSignal;
  /** Extra headers for this call (a credential header in them is dropped: the client sends the key). */
  headers?: Record<string, string>;
}

/** The body of `POST /v1/messages` (the fields this library needs to know; others pass through). */
export interface MessageCreateParams {
  model: string;
  max_tokens: number;
  messages: ReadonlyArray<{ role: 'user' | 'assistant'; content: unknown }>;
  [field: string]: unknown;
}

/** A `POST /v1/messages` response (the common fields). */
export interface ClaudeMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: Array<{ type: string; [field: string]: unknown }>;
  stop_reason: string | null;
  usage: { input_tokens: number; output_tokens: number; [field: string]: unknown };
  [field: string]: unknown;
}

/** The client returned by {@link createClaudeClient}. */
export interface ClaudeClient {
  /** The base URL in use, without a trailing slash. */
  readonly baseUrl: string;
  /** Sends one JSON request with retries; resolves to the parsed JSON body (undefined when empty). */
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options?: ClaudeRequestOptions,
  ): Promise<T>;
  readonly messages: {
    /** `POST /v1/messages` (non-streaming). */
    create<T = ClaudeMessage>(
      body: MessageCreateParams,
      options?: ClaudeRequestOptions,
    ): Promise<T>;
  };
}

/** @internal The Claude API's base URL when neither an option nor `ANTHROPIC_BASE_URL` names one. */
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';
const MAX_SERVER_DELAY_MS = 60_000;

function checkInteger(value: number | undefined, field: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigurationError(`${field} must be an integer of at least ${min}`, {
      code: 'CLAUDE_AUTH_INVALID_OPTION',
      field,
    });
  }
  return value;
}

/** @internal An absolute http(s) URL without trailing slashes, or a `ConfigurationError` naming `field`. */
export function normaliseBaseUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${field} must be an absolute http(s) URL`, {
      code: 'CLAUDE_AUTH_INVALID_OPTION',
      field,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`${field} must be an http:// or https:// URL`, {
      code: 'CLAUDE_AUTH_INVALID_OPTION',
      field,
    });
  }
  return value.replace(/\/+$/, '');
}

/** Whether a response should be retried: `x-should-retry` decides, except 401/403 never are. */
function shouldRetry(response: Response): boolean {
  if (response.status === 401 || response.status === 403) return false;
  const hint = response.headers.get('x-should-retry')?.trim().toLowerCase();
  if (hint === 'true') return true;
  if (hint === 'false') return false;
  return (
    response.status === 408 ||
    response.status === 409 ||
    response.status === 429 ||
    response.status >= 500
  );
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Creates a Claude API client. Each call resolves the key (so a rotated key file is picked up),
 * builds the contract headers, applies a per-attempt timeout, and retries 408, 409, 429, 5xx and
 * connection failures with exponential backoff and jitter, honouring `x-should-retry`
 * (`true`/`false` override the status rule), `retry-after-ms` and `retry-after` (server hints up
 * to 60 s; longer ones fall back to backoff). 401 and 403 are never retried. Failures throw the
 * typed error parsed from the body (keeping `request-id`), {@link ApiTimeoutError} (504) or
 * {@link ApiConnectionError} (502).
 *
 * @example
 * ```ts
 * const client = createClaudeClient({ maxRetries: 3 });
 * const message = await client.messages.create({
 *   model: 'claude-sonnet-4-5',
 *   max_tokens: 1024,
 *   messages: [{ role: 'user', content: 'Hello, Claude' }],
 * });
 * ```
 */
export function createClaudeClient(options: ClaudeClientOptions = {}): ClaudeClient {
  const env = options.env ?? process.env;
  const envBaseUrl = env.ANTHROPIC_BASE_URL?.trim();
  const baseUrl =
    options.baseUrl !== undefined
      ? normaliseBaseUrl(options.baseUrl, 'baseUrl')
      : envBaseUrl !== undefined && envBaseUrl !== ''
        ? normaliseBaseUrl(envBaseUrl, 'ANTHROPIC_BASE_URL')
        : DEFAULT_BASE_URL;
  const timeoutMs = checkInteger(options.timeoutMs, 'timeoutMs', 600_000, 1);
  const maxRetries = checkInteger(options.maxRetries, 'maxRetries', 2);
  const initialMs = checkInteger(options.backoff?.initialMs, 'backoff.initialMs', 500);
  const maxMs = checkInteger(options.backoff?.maxMs, 'backoff.maxMs', 8000);
  const fetchFn = options.fetch ?? globalThis.fetch;
  const logger = options.logger;

  function backoffMs(retry: number, response: Response | undefined): number {
    if (response !== undefined) {
      const hinted = parseRetryAfter(response.headers);
      if (hinted !== undefined && hinted * 1000 <= MAX_SERVER_DELAY_MS) return hinted * 1000;
    }
    const base = Math.min(initialMs * 2 ** retry, maxMs);
    return base * (1 - Math.random() * 0.25);
  }

  async function attempt(
    url: string,
    init: RequestInit,
    signal: AbortSignal | undefined,
  ): Promise<{ response: Response; text: string } | { error: ApiConnectionError }> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await fetchFn(url, { ...init, signal: controller.signal });
      // Read the body under the same timeout, so a stalled body cannot hang the call.
      const text = await response.text();
      return { response, text };
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      if (timedOut)
        return { error: new ApiTimeoutError(`Request timed out after ${timeoutMs} ms`, { cause }) };
      return { error: new ApiConnectionError(undefined, { cause }) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async function request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    callOptions: ClaudeRequestOptions = {},
  ): Promise<T> {
    const { apiKey } = await resolveApiKey({ apiKey: options.apiKey, env, logger });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(callOptions.headers ?? {})) {
      const lower = name.toLowerCase();
      if (lower !== 'x-api-key' && lower !== 'authorization') headers[lower] = value;
    }
    Object.assign(
      headers,
      buildHeaders({
        apiKey,
        version: options.version,
        authScheme: options.authScheme,
        betas: options.betas,
        workspaceId: options.workspaceId,
        ...(logger === undefined ? {} : { logger }),
      }),
    );
    const url = `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
    const init: RequestInit = {
      method: method.toUpperCase(),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    const signal = callOptions.signal;

    for (let retry = 0; ; retry++) {
      if (signal?.aborted) throw signal.reason;
      const outcome = await attempt(url, init, signal);
      const response = 'response' in outcome ? outcome.response : undefined;
      const retriable = response === undefined || shouldRetry(response);

      if ('response' in outcome && outcome.response.ok)
        return parseSuccess<T>(outcome.response, outcome.text);
      if (!retriable || retry >= maxRetries) {
        if ('error' in outcome) throw outcome.error;
        throw parseErrorResponse({
          status: outcome.response.status,
          body: outcome.text,
          headers: outcome.response.headers,
        });
      }
      const delay = backoffMs(retry, response);
      logger?.warn('Retrying Claude API request', {
        method: init.method,
        path,
        status: response?.status ?? null,
        retry: retry + 1,
        delayMs: Math.round(delay),
      });
      await sleep(delay, signal);
    }
  }

  return {
    baseUrl,
    request,
    messages: {
      create: <T = ClaudeMessage>(
        body: MessageCreateParams,
        callOptions?: ClaudeRequestOptions,
      ): Promise<T> => request<T>('POST', '/v1/messages', body, callOptions),
    },
  };
}

function parseSuccess<T>(response: Response, text: string): T {
  if (text.trim() === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    const requestId = response.headers.get('request-id') ?? undefined;
    throw new ApiError('The upstream API returned a success response that is not JSON', {
      status: 502,
      requestId,
      cause,
    });
  }
}
