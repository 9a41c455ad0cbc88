/**
 * Forwarding an authenticated request to the Claude API: the framework-free half of every
 * adapter's proxy middleware. It works on Node's own request and response objects (what Express,
 * Koa and Nest hand over underneath) and a pooled keep-alive agent (not `fetch`, whose per-request
 * cost collapses under load).
 */
import { DEFAULT_CONFIG } from '../config/claude-auth-config.js';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { ClaudeAuth, Logger } from '../auth/types.js';
import { errorResponse } from '../auth/error-response.js';
import { ConfigurationError, NotFoundError } from '../errors/claude-auth-error.js';
import type { ErrorVocabulary } from '../errors/error-table.js';
import { ApiConnectionError, ApiTimeoutError } from '../outbound/api-connection-error.js';
import { resolveApiKey, type ApiKeyOption } from '../outbound/resolve-api-key.js';
import type { AuthScheme } from '../outbound/headers.js';
import {
  LargeJsonEnds,
  StreamUsageReader,
  usageFromJson,
  usageFromJsonEnds,
  type MessageUsage,
} from './message-usage.js';
import { createPricer, DEFAULT_PRICE_TABLE, type PriceTable } from './price-table.js';
import { callerResponseHeaders, upstreamRequestHeaders } from './proxy-headers.js';
import { isCanonicalPath } from './upstream-path.js';

/** Options of {@link createClaudeProxy}; all optional. */
export interface ClaudeProxyOptions {
  /** The upstream API. Default `ANTHROPIC_BASE_URL`, else `https://api.anthropic.com`. */
  baseUrl?: string;
  /** The upstream key. Default `ANTHROPIC_API_KEY`, else `ANTHROPIC_API_KEY_FILE` (see `resolveApiKey`). */
  apiKey?: ApiKeyOption;
  /** How the upstream key is sent: `x-api-key` (default) or `bearer`. */
  authScheme?: AuthScheme;
  /** Time allowed for the upstream's response headers, and between two chunks. Default 600000. */
  timeoutMs?: number;
  /** Dollars per million tokens, per model. Default {@link DEFAULT_PRICE_TABLE}. */
  prices?: PriceTable;
  /**
   * How long the end of a billable reply (a JSON body's last chunk, a stream's `message_stop`)
   * waits at most for its debit to be acknowledged; after that the reply ends and the debit goes
   * on in the background. Default 2000.
   */
  debitWaitMs?: number;
  /** Upstream connections kept per host. Default 256. */
  maxSockets?: number;
  /** Vocabulary of the gateway's own error bodies. Default `spec`. */
  vocabulary?: ErrorVocabulary;
  /** Header carrying the gateway's own request id (upstream's goes in `request-id`). Default `x-claude-auth-request-id`. */
  gatewayRequestIdHeader?: string;
  /** Receives warnings (unknown model, failed debit, upstream failure); never key material. */
  logger?: Logger;
  /** Called once per billable reply, after the caller's workspace was debited (or not). */
  onUsage?: (record: ProxyUsage) => void;
}

/** The usage of one proxied reply. */
export interface ProxyUsage {
  auth: ClaudeAuth;
  model: string;
  usage: MessageUsage;
  /** At the price table's rate for `model`. */
  costUsd: number;
  /** The reply was a server-sent event stream. */
  streamed: boolean;
}

/** One call to forward: Node's request and response, and the authenticated caller. */
export interface ProxyCall {
  req: IncomingMessage;
  res: ServerResponse;
  auth: ClaudeAuth;
  /** Path and query to forward. Default `req.url` (pass `originalUrl` under a mount). */
  url?: string;
  /** An already parsed body (a body parser ran): re-serialized as JSON instead of piping `req`. */
  body?: unknown;
}

/** A configured forwarder; share one per process (it holds the connection pool). */
export interface ClaudeProxy {
  /** The upstream base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** Forwards one call; resolves when the reply is complete or abandoned. Never rejects. */
  forward(call: ProxyCall): Promise<void>;
  /** Closes the idle pooled connections. */
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 600_000;
/** JSON replies larger than this are read for usage from their first and last 64 KiB only. */
const MAX_JSON_USAGE_BYTES = 8 * 1024 * 1024;
/** How long a reply's end waits at most for its debit (a slow ledger); then the debit goes on alone. */
const DEFAULT_DEBIT_WAIT_MS = 2_000;
/** How long a resolved upstream key is reused before asking its source again. */
const KEY_REFRESH_MS = 1_000;

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
function settleWithin(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Creates the forwarder behind every adapter's proxy middleware. For each call it strips the
 * caller's credentials, cookies, workspace and hop-by-hop headers, injects the upstream key,
 * sends method, path, query and body upstream on a pooled keep-alive connection, and passes the
 * upstream status, headers (including its `request-id`; the gateway's own moves to
 * `x-claude-auth-request-id`) and body back, server-sent events chunk by chunk without
 * buffering. The upstream request is aborted when the caller goes away. A connection failure
 * answers 502 and a timeout 504, in the contract's JSON shape. The usage of a successful reply
 * (JSON or stream) is priced and debited to the caller's workspace with `recordSpend(..., {
 * force: true })` under one debit id per request, before the reply is complete for the caller:
 * a JSON body's last chunk and a stream's final event are written once the debit is acknowledged
 * (at most `debitWaitMs`), so the caller's next request is judged on a total that includes it.
 * A stream the caller leaves before its end is still billed, for the usage its events reported
 * and an estimate of the output delivered until then (the upstream charges what it produced).
 *
 * @example
 * ```ts
 * const proxy = createClaudeProxy({ baseUrl: 'https://api.anthropic.com' });
 * app.use('/v1', claudeAuth(options), (req, res) => proxy.forward({ req, res, auth: getClaudeAuth(req), url: req.originalUrl }));
 * ```
 */
export function createClaudeProxy(options: ClaudeProxyOptions = {}): ClaudeProxy {
  const baseUrl = (options.baseUrl ?? process.env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com')
    .trim()
    .replace(/\/+$/, '');
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new ConfigurationError('baseUrl must be an http:// or https:// URL', {
      code: 'CLAUDE_AUTH_INVALID_BASE_URL',
      field: 'baseUrl',
    });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new ConfigurationError('baseUrl must be an http:// or https:// URL', {
      code: 'CLAUDE_AUTH_INVALID_BASE_URL',
      field: 'baseUrl',
    });
  }
  const secure = base.protocol === 'https:';
  const transport = secure ? https : http;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The timeout is the sockets' own (set once per connection, kept across requests): each request
  // still gets its `timeout` event, without arming and clearing a timer of its own.
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 256,
    scheduling: 'lifo' as const,
    timeout: timeoutMs,
  };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const pathPrefix = base.pathname === '/' ? '' : base.pathname.replace(/\/+$/, '');
  const debitWaitMs = options.debitWaitMs ?? DEFAULT_DEBIT_WAIT_MS;
  if (!Number.isFinite(debitWaitMs) || debitWaitMs < 0) {
    throw new ConfigurationError('debitWaitMs must be a finite number of milliseconds, 0 or more', {
      code: 'CLAUDE_AUTH_INVALID_OPTION',
      field: 'debitWaitMs',
    });
  }
  const vocabulary = options.vocabulary ?? DEFAULT_CONFIG.vocabulary;
  const idHeader = options.gatewayRequestIdHeader ?? 'x-claude-auth-request-id';
  const logger = options.logger;
  const pricer = createPricer(options.prices ?? DEFAULT_PRICE_TABLE, logger);
  const scheme = options.authScheme ?? 'x-api-key';

  let credential: { headers: Record<string, string>; until: number } | undefined;
  /** The upstream key's header, resolved at most once a second (a file or secret may change). */
  const upstreamCredential = (): Record<string, string> | Promise<Record<string, string>> => {
    if (credential !== undefined && credential.until > Date.now()) return credential.headers;
    return resolveCredential();
  };
  const resolveCredential = async (): Promise<Record<string, string>> => {
    const now = Date.now();
    const { apiKey } = await resolveApiKey(
      options.apiKey === undefined ? { logger } : { apiKey: options.apiKey, logger },
    );
    const headers: Record<string, string> =
      scheme === 'bearer' ? { authorization: `Bearer ${apiKey}` } : { 'x-api-key': apiKey };
    credential = { headers, until: now + KEY_REFRESH_MS };
    return headers;
  };

  const fail = (res: ServerResponse, auth: ClaudeAuth, error: unknown): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const response = errorResponse(error, vocabulary, auth.requestId);
    res.statusCode = response.status;
    for (const name in response.headers) res.setHeader(name, response.headers[name]!);
    res.end(JSON.stringify(response.body));
  };

  /** Debits and reports one reply's usage; resolves once the debit is acknowledged (or failed). */
  const bill = (
    auth: ClaudeAuth,
    model: string,
    usage: MessageUsage,
    streamed: boolean,
  ): Promise<void> | undefined => {
    const costUsd = pricer.cost(model, usage);
    let debited: Promise<void> | undefined;
    if (auth.workspaceId !== null && costUsd > 0) {
      debited = auth.recordSpend(costUsd, { force: true, debitId: `${auth.requestId}:usage` }).then(
        () => undefined,
        (error: unknown) => {
          logger?.warn('claude-auth: could not debit usage now; it is settled in the background', {
            requestId: auth.requestId,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      );
    }
    if (options.onUsage !== undefined) {
      try {
        options.onUsage({ auth, model, usage, costUsd, streamed });
      } catch (error) {
        logger?.error('claude-auth: onUsage threw', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return debited;
  };

  const forward = async (call: ProxyCall): Promise<void> => {
    const { req, res, auth } = call;
    const url = call.url ?? req.url ?? '/';
    if (!isCanonicalPath(url)) {
      fail(res, auth, new NotFoundError('Not found: the path is not in canonical form'));
      return;
    }
    let headers;
    try {
      let upstreamKey = upstreamCredential();
      if (upstreamKey instanceof Promise) upstreamKey = await upstreamKey;
      headers = upstreamRequestHeaders(req.headers, upstreamKey);
    } catch (error) {
      logger?.error('claude-auth: no upstream key', {
        error: error instanceof Error ? error.message : String(error),
      });
      fail(res, auth, new ApiConnectionError('The gateway has no upstream API key configured'));
      return;
    }
    let payload: Buffer | undefined;
    if (call.body !== undefined && (req.readableEnded || req.complete)) {
      payload = Buffer.from(JSON.stringify(call.body));
      headers['content-length'] = String(payload.length);
      delete headers['transfer-encoding'];
    }

    await new Promise<void>((resolve) => {
      let settled = false;
      /** A billable stream's usage reader, until its usage is billed. */
      let unbilled: StreamUsageReader | undefined;
      const done = (): void => {
        if (settled) return;
        settled = true;
        resolve();
      };
      const upstream = transport.request({
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        method: req.method,
        path: pathPrefix + url,
        headers,
        agent,
      });

      // The caller went away before the reply was complete: abandon the upstream call. A stream
      // cut short is still billed: the upstream charges the tokens it produced until then.
      const onClose = (): void => {
        if (!res.writableFinished) {
          upstream.destroy();
          const seen = unbilled?.abandoned();
          unbilled = undefined;
          if (seen !== undefined) void bill(auth, seen.model, seen.usage, true);
        }
        done();
      };
      res.once('close', onClose);

      upstream.on('timeout', () => {
        upstream.destroy(new ApiTimeoutError('The upstream API did not answer in time'));
      });
      upstream.on('error', (error) => {
        if (res.destroyed) return done();
        const failure =
          error instanceof ApiTimeoutError
            ? error
            : new ApiConnectionError('Connection error: the upstream API could not be reached');
        logger?.warn('claude-auth: upstream request failed', {
          requestId: auth.requestId,
          status: failure.status,
          error: (error as NodeJS.ErrnoException).code ?? error.message,
        });
        fail(res, auth, failure);
        done();
      });

      upstream.on('response', (reply) => {
        const status = reply.statusCode ?? 502;
        const replyHeaders = callerResponseHeaders(reply.headers);
        // The gateway's own id moves aside; the upstream's `request-id` is the one clients know.
        const own = res.getHeader('request-id');
        if (own !== undefined && replyHeaders['request-id'] !== undefined) {
          res.setHeader(idHeader, own);
        }
        for (const name in replyHeaders) res.setHeader(name, replyHeaders[name]!);
        res.statusCode = status;
        const type = String(reply.headers['content-type'] ?? '');
        const billable = status >= 200 && status < 300;
        const stream = billable && type.startsWith('text/event-stream');
        if (!stream && !(billable && type.startsWith('application/json'))) {
          reply.on('error', () => res.destroy());
          reply.on('end', done);
          reply.pipe(res);
          return;
        }
        // A billable reply is debited before the caller has all of it: a JSON body's last chunk
        // and a stream's final event (`message_stop`) are written once the debit is acknowledged,
        // so the caller's next request is judged on a total that includes it. The rest is written
        // as it comes: a stream's first event never waits. Without a workspace nothing is debited
        // and nothing waits.
        const hold = auth.workspaceId !== null;
        const reader = stream ? new StreamUsageReader() : undefined;
        unbilled = reader;
        const chunks: Buffer[] = [];
        let size = 0;
        /** A JSON reply past `MAX_JSON_USAGE_BYTES`: only its start and its end are kept. */
        let large: LargeJsonEnds | undefined;
        const held: Buffer[] = [];
        if (stream) res.flushHeaders();
        const write = (chunk: Buffer): void => {
          if (!res.write(chunk)) {
            reply.pause();
            res.once('drain', () => reply.resume());
          }
        };
        reply.on('data', (chunk: Buffer) => {
          if (reader !== undefined) {
            reader.push(chunk);
            if (hold && reader.stopped) held.push(chunk);
            else write(chunk);
            return;
          }
          size += chunk.length;
          chunks.push(chunk);
          if (size > MAX_JSON_USAGE_BYTES) (large ??= new LargeJsonEnds()).add(chunks.splice(0));
          if (!hold) return write(chunk);
          const previous = held.pop();
          if (previous !== undefined) write(previous);
          held.push(chunk);
        });
        reply.on('error', () => res.destroy());
        reply.on('end', () => {
          unbilled = undefined;
          let seen;
          if (reader !== undefined) seen = reader.result();
          else if (size <= MAX_JSON_USAGE_BYTES) {
            seen = usageFromJson(
              chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString(),
            );
          } else if (large !== undefined) {
            large.add(chunks);
            seen = usageFromJsonEnds(large.head(), large.tail());
          }
          const debited =
            seen === undefined
              ? undefined
              : bill(auth, seen.model, seen.usage, reader !== undefined);
          const finish = (): void => {
            if (held.length === 0) res.end();
            else res.end(held.length === 1 ? held[0] : Buffer.concat(held));
            done();
          };
          if (debited === undefined) finish();
          else void settleWithin(debited, debitWaitMs).then(finish);
        });
      });

      if (payload !== undefined) upstream.end(payload);
      else if (req.readableEnded) upstream.end();
      else req.pipe(upstream);
    });
  };

  return {
    baseUrl,
    forward,
    close: () => agent.destroy(),
  };
}
