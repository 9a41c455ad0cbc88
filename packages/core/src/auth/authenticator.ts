import {
  createAuthError,
  isClaudeAuthError,
  type ClaudeAuthError,
} from '../errors/claude-auth-error.js';
import { AUTH_CONDITIONS, type AuthCondition } from '../errors/error-table.js';
import { hashKey } from '../keys/hash.js';
import { KEY_MAX_LENGTH, KEY_MIN_LENGTH, parseApiKey } from '../keys/key-format.js';
import { MemoryRateLimiter } from '../limits/memory-rate-limiter.js';
import type { RateLimitDecision, RateLimitRule, RateLimiter } from '../limits/rate-limiter.js';
import type { KeyManager } from '../manager/key-manager.js';
import { usdToMicros } from '../manager/money.js';
import type {
  ApiKeyRecord,
  RateLimitPolicy,
  SpendResult,
  WorkspaceRecord,
} from '../store/key-store.js';
import {
  acceptedVersions,
  deprecationHeaders,
  versionStatus,
  type ApiVersion,
} from '../versions.js';
import {
  resolveAuthenticatorOptions,
  type AuthenticatorOptions,
  type ResolvedAuthenticatorOptions,
} from './authenticator-options.js';
import { hasBody, isJsonContentType } from './content-type.js';
import { missingCredentialMessage, readCredential } from './credential.js';
import {
  errorHeaders,
  errorResponse,
  isUnavailableError,
  type ErrorResponse,
} from './error-response.js';
import { FailedAuthLimiter } from './failed-auth-limiter.js';
import { debitIdFor, splitNanos, usdToNanos } from './spend-units.js';
import { SpendSettler } from './spend-settler.js';
import { hasKeyInQuery } from './query-key.js';
import { newRequestId } from './request-id.js';
import { RATE_LIMIT_HEADERS, formatResetTime, retryAfterSeconds } from './rate-limit-headers.js';
import { MonthClock } from './spend-period.js';
import type {
  AuthRequest,
  AuthResult,
  ClaudeAuth,
  RecordSpendResult,
  RouteRequirements,
} from './types.js';
import { VerificationCache } from './verification-cache.js';
import { WorkspaceCache } from './workspace-cache.js';

/**
 * The inbound pipeline: authenticates requests against the DESIGN.md contract and exposes the
 * key manager. Made by {@link createAuthenticator}; adapters wrap it.
 */
export interface Authenticator {
  /**
   * Runs every check (key, version, content type, workspace, permissions, rate limits, spend) and
   * resolves to a result; never rejects.
   */
  authenticate(request: AuthRequest, requirements?: RouteRequirements): Promise<AuthResult>;
  /**
   * Checks a route's workspace, permissions and admin requirements for an already authenticated
   * request (after a global middleware). Decides like `authenticate(request, requirements)`: the
   * target workspace is read from the store through the workspace cache and must exist and be
   * active (deny by default); a request re-targeted to another workspace is checked against that
   * workspace's rate and spend limits and only then counted there. Resolves, never rejects (a
   * store failure is a 503).
   */
  authorize(
    auth: ClaudeAuth,
    request: AuthRequest,
    requirements: RouteRequirements,
  ): Promise<AuthResult>;
  /** Maps any thrown value to a contract error response in the configured vocabulary. */
  errorResponse(error: unknown, requestId?: string): ErrorResponse;
  readonly keys: KeyManager;
  readonly options: ResolvedAuthenticatorOptions;
  /** The verification cache (`null` when disabled), for its `stats()` in tests and benchmarks. */
  readonly cache?: VerificationCache | null;
  /** The failed-attempts limiter (`null` when `failedAuth: false`), e.g. to `flush()` in tests. */
  readonly failedAuth?: FailedAuthLimiter | null;
  /** Unsubscribes from invalidations, flushes usage (when it owns the key manager), frees limiters. */
  close(): Promise<void>;
}

/**
 * The `deprecation` response header value sent for the default registry's deprecated version
 * (`2023-01-01`, undated); see `deprecationHeaders` for any version.
 */
export const DEPRECATION_HEADER_VALUE = 'version="2023-01-01"';

const HEADER_REQUEST_ID = 'request-id';
const WINDOW_MS = 60_000;
/** Store results may be awaited; everything the pipeline computes itself is synchronous. */
type Step<T> = T | Promise<T>;

/** A rejection from the key store, spend ledger or (fail-closed) limiter: always a 503. */
class StoreFault extends Error {
  constructor(cause: unknown) {
    super('claude-auth: backing service unavailable', { cause });
    this.name = 'StoreFault';
  }
}

/**
 * `createAuthError` without a stack trace, for the pipeline's expected refusals (a bad key, a
 * limit, a version): capturing the stack was most of the cost of a 401. Unexpected failures
 * (500/503) keep theirs, and so does their `cause`.
 */
function expectedError(
  condition: AuthCondition,
  details: Parameters<typeof createAuthError>[1],
): ClaudeAuthError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return createAuthError(condition, details);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function isPromise<T>(value: Step<T>): value is Promise<T> {
  return value instanceof Promise;
}

function ruleOf(policy: RateLimitPolicy): RateLimitRule {
  return { limit: policy.rpm, windowMs: WINDOW_MS, burst: policy.burst ?? policy.rpm };
}

/** What a refused credential looked like: failed attempts are counted per address and shape. */
type CredentialShape = 'none' | 'query' | 'malformed' | 'well-formed';

/** The shape of a credential refused before any lookup, by condition. */
const SHAPE_OF: Partial<Record<AuthCondition, CredentialShape>> = {
  missing_api_key: 'none',
  key_in_query: 'query',
  invalid_api_key: 'malformed',
};

/** Per-request state, one object per request. */
interface Ctx {
  readonly request: AuthRequest;
  readonly requirements: RouteRequirements | undefined;
  readonly requestId: string;
  now: number;
  hash: string;
  record: ApiKeyRecord | null;
  version: ApiVersion;
  /** `deprecation` (and `sunset`) headers for a deprecated version, else `null`. */
  deprecation: Record<string, string> | null;
  workspaceId: string | null;
  workspace: WorkspaceRecord | null;
  decision: RateLimitDecision | null;
}

/** Bounded set used to log a warning once per subject. */
class OncePer {
  readonly #seen = new Set<string>();
  first(subject: string): boolean {
    if (this.#seen.has(subject)) return false;
    if (this.#seen.size >= 10_000) this.#seen.clear();
    this.#seen.add(subject);
    return true;
  }
}

class Pipeline implements Authenticator {
  readonly options: ResolvedAuthenticatorOptions;
  readonly keys: KeyManager;
  readonly #now: () => number;
  readonly #cache: VerificationCache | null;
  readonly #workspaces: WorkspaceCache;
  readonly #failed: FailedAuthLimiter | null;
  readonly #limiter: RateLimiter;
  /** Set when the configured limiter is the in-process one: decisions without a promise. */
  readonly #syncLimiter: MemoryRateLimiter | null;
  #fallbackLimiter: MemoryRateLimiter | null = null;
  #limiterDown = false;
  #storeDown = false;
  readonly #inflight = new Map<string, Promise<ApiKeyRecord | null>>();
  readonly #spend = new Map<string, { period: string; totalMicros: number; expiresAt: number }>();
  readonly #spendTtlMs: number;
  /** (workspace, month) → nano-dollars spent here but not yet debited (below one micro-dollar). */
  readonly #spendCarry = new Map<string, number>();
  readonly #settler: SpendSettler;
  readonly #months = new MonthClock();
  readonly #deprecationWarned = new OncePer();
  readonly #shadowLogged = new Map<string, number>();
  readonly #unsubscribe: () => void;
  readonly #keyRule: RateLimitRule | null;
  readonly #workspaceRule: RateLimitRule | null;
  readonly #missingMessage: string;

  constructor(options: ResolvedAuthenticatorOptions) {
    this.options = options;
    this.keys = options.keys;
    this.#now = options.now;
    const cache = options.cache;
    this.#cache = cache === false ? null : new VerificationCache({ ...cache, now: options.now });
    const ttl = cache === false ? 0 : cache.ttlMs;
    this.#workspaces = new WorkspaceCache({
      ttlMs: ttl,
      maxEntries: cache === false ? 1 : cache.maxEntries,
    });
    this.#spendTtlMs = Math.min(ttl, 1_000);
    this.#settler = new SpendSettler({ ledger: options.spend, logger: options.logger });
    this.#failed =
      options.failedAuth === false
        ? null
        : new FailedAuthLimiter({
            maxPerMinute: options.failedAuth.maxPerMinute,
            now: options.now,
            // A given limiter (e.g. Redis) shares the count between instances; the default one is
            // in this process, like the local count, so counting there too would count twice.
            ...(options.ownsRateLimiter ? {} : { shared: options.rateLimiter }),
            logger: options.logger,
          });
    this.#limiter = options.rateLimiter;
    this.#syncLimiter =
      options.rateLimiter instanceof MemoryRateLimiter ? options.rateLimiter : null;
    this.#missingMessage = missingCredentialMessage(options.credentials);
    this.#keyRule = options.rateLimit.key === false ? null : ruleOf(options.rateLimit.key);
    this.#workspaceRule =
      options.rateLimit.workspace === false ? null : ruleOf(options.rateLimit.workspace);
    this.#unsubscribe = options.invalidation.subscribe(({ keyId, workspaceId }) => {
      if (workspaceId !== undefined) {
        this.#workspaces.delete(workspaceId);
        this.#spend.delete(workspaceId);
      }
      if (keyId === undefined) return;
      this.#cache?.evictKey(keyId);
      this.#workspaces.clear();
    });
    this.authenticate = this.authenticate.bind(this);
    this.authorize = this.authorize.bind(this);
    this.errorResponse = this.errorResponse.bind(this);
  }

  /** Cache counters, for tests and benchmarks. */
  get cache(): VerificationCache | null {
    return this.#cache;
  }

  /** The failed-attempts limiter, for tests (`flush()`). */
  get failedAuth(): FailedAuthLimiter | null {
    return this.#failed;
  }

  authenticate(request: AuthRequest, requirements?: RouteRequirements): Promise<AuthResult> {
    let requestId: string;
    try {
      requestId = this.options.requestId();
    } catch (error) {
      return Promise.resolve(this.#crash(newRequestId(), error));
    }
    const ctx: Ctx = {
      request,
      requirements,
      requestId,
      now: 0,
      hash: '',
      record: null,
      version: '',
      deprecation: null,
      workspaceId: null,
      workspace: null,
      decision: null,
    };
    try {
      const result = this.#start(ctx);
      if (!isPromise(result)) return Promise.resolve(result);
      return result.catch((error: unknown) => this.#crash(requestId, error));
    } catch (error) {
      return Promise.resolve(this.#crash(requestId, error));
    }
  }

  authorize(
    auth: ClaudeAuth,
    request: AuthRequest,
    requirements: RouteRequirements,
  ): Promise<AuthResult> {
    try {
      const result = this.#authorize(auth, request, requirements);
      if (!isPromise(result)) return Promise.resolve(result);
      return result.catch((error: unknown) => this.#crash(auth.requestId, error));
    } catch (error) {
      return Promise.resolve(this.#crash(auth.requestId, error));
    }
  }

  errorResponse(error: unknown, requestId?: string): ErrorResponse {
    return errorResponse(error, this.options.vocabulary, requestId);
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    this.#inflight.clear();
    if (this.options.ownsKeys) await this.keys.close();
    await this.#fallbackLimiter?.close();
    await this.#settler.close();
  }

  // --- the pipeline, in DESIGN.md order ---------------------------------------------------------

  #start(ctx: Ctx): Step<AuthResult> {
    const { request } = ctx;
    const headers = request.headers;
    if (hasKeyInQuery(request.url)) return this.#authFailure(ctx, 'key_in_query');

    // x-api-key or Authorization: Bearer (credential.ts): a string, or why there is none.
    const secret = readCredential(headers, this.options.credentials);
    if (typeof secret !== 'string') {
      if (secret.refused === 'invalid_api_key') return this.#authFailure(ctx, 'invalid_api_key');
      return this.#authFailure(ctx, 'missing_api_key', this.#missingMessage);
    }
    // Cheap bound first: never hash an arbitrarily long header.
    if (secret.length < KEY_MIN_LENGTH || secret.length > KEY_MAX_LENGTH) {
      return this.#authFailure(ctx, 'invalid_api_key');
    }

    const hash = hashKey(secret);
    ctx.hash = hash;
    ctx.now = this.#now();
    // A cached answer needs no format check: a positive entry's hash is the hash of a key this
    // library generated (well-formed, right checksum; its environment is judged from the record),
    // and a negative entry was only ever stored after the format check passed.
    const cached = this.#cache?.get(hash, ctx.now);
    if (cached !== undefined) return this.#judgeKey(ctx, cached);
    // Format, checksum and environment before any store call.
    const parsed = parseApiKey(secret);
    if (parsed === null || parsed.environment !== this.options.environment) {
      return this.#authFailure(ctx, 'invalid_api_key');
    }
    return this.#lookup(secret, hash).then((record) => this.#judgeKey(ctx, record));
  }

  #lookup(secret: string, hash: string): Promise<ApiKeyRecord | null> {
    const pending = this.#inflight.get(hash);
    if (pending !== undefined) return pending;
    const generation = this.#cache?.generation;
    const lookup = this.keys.verifySecret(secret).then(
      (record) => {
        this.#storeUp();
        this.#cache?.set(hash, record, generation);
        return record;
      },
      (error: unknown) => {
        throw this.#storeFault(error);
      },
    );
    this.#inflight.set(hash, lookup);
    const forget = (): void => {
      if (this.#inflight.get(hash) === lookup) this.#inflight.delete(hash);
    };
    lookup.then(forget, forget);
    return lookup;
  }

  #judgeKey(ctx: Ctx, record: ApiKeyRecord | null): Step<AuthResult> {
    const now = ctx.now;
    if (
      record === null ||
      record.status !== 'active' ||
      record.environment !== this.options.environment ||
      (record.expiresAt !== null && record.expiresAt.getTime() <= now) ||
      (record.hash !== ctx.hash &&
        (record.previousHash !== ctx.hash ||
          record.previousHashExpiresAt === null ||
          record.previousHashExpiresAt.getTime() <= now))
    ) {
      return this.#authFailure(ctx, 'invalid_api_key', undefined, 'well-formed');
    }
    ctx.record = record;
    const { headers } = ctx.request;

    const version = headers['anthropic-version'];
    const { versions, versionPolicy: policy } = this.options;
    const status = versionStatus(version, versions, now);
    if (status === 'unknown' || status === 'retired') {
      const message = this.#versionMessage(now);
      return this.#reject(ctx.requestId, 'invalid_version', undefined, undefined, message);
    }
    if (status === 'deprecated') {
      if (policy === 'reject') return this.#reject(ctx.requestId, 'deprecated_version');
      if (policy === 'warn') {
        ctx.deprecation = deprecationHeaders(version as string, versions[version as string]!);
        if (this.#deprecationWarned.first(record.id)) {
          this.options.logger.warn('claude-auth: request uses a deprecated anthropic-version', {
            version,
            keyId: record.id,
            requestId: ctx.requestId,
          });
        }
      }
    }
    ctx.version = version as ApiVersion;

    if (hasBody(headers) && !isJsonContentType(headers['content-type'])) {
      return this.#reject(ctx.requestId, 'unsupported_media_type');
    }

    const target = this.#targetWorkspace(ctx.requirements, ctx.request, record.workspaceId);
    if (target === undefined) return this.#reject(ctx.requestId, 'access_denied');
    ctx.workspaceId = target;
    if (target === null) return this.#checkAccess(ctx, null);
    if (record.workspaceId !== null && record.workspaceId !== target) {
      return this.#reject(ctx.requestId, 'access_denied');
    }
    const cached = this.#workspaces.get(target, now);
    if (cached !== undefined) return this.#checkAccess(ctx, cached);
    return this.#workspaceOf(target).then((workspace) => this.#checkAccess(ctx, workspace));
  }

  #checkAccess(ctx: Ctx, workspace: WorkspaceRecord | null): Step<AuthResult> {
    const record = ctx.record!;
    if (ctx.workspaceId !== null && (workspace === null || workspace.status !== 'active')) {
      return this.#reject(ctx.requestId, 'access_denied');
    }
    if (!this.#allowed(record.kind, record.permissions, ctx.requirements)) {
      return this.#reject(ctx.requestId, 'access_denied');
    }
    ctx.workspace = workspace;

    const keyRule = record.rateLimit === null ? this.#keyRule : ruleOf(record.rateLimit);
    if (keyRule === null) return this.#limitWorkspace(ctx);
    const decision = this.#consume(`k:${record.id}`, keyRule);
    if (isPromise(decision)) return decision.then((d) => this.#afterKeyLimit(ctx, d));
    return this.#afterKeyLimit(ctx, decision);
  }

  #afterKeyLimit(ctx: Ctx, decision: RateLimitDecision): Step<AuthResult> {
    if (!this.#admit(ctx, decision, 'key', ctx.record!.id))
      return this.#rateLimited(ctx.requestId, decision);
    ctx.decision = decision;
    return this.#limitWorkspace(ctx);
  }

  #limitWorkspace(ctx: Ctx): Step<AuthResult> {
    const workspace = ctx.workspace;
    if (workspace === null) return this.#checkSpend(ctx);
    const rule = workspace.rateLimit === null ? this.#workspaceRule : ruleOf(workspace.rateLimit);
    if (rule === null) return this.#checkSpend(ctx);
    const decision = this.#consume(`w:${workspace.id}`, rule);
    if (isPromise(decision)) return decision.then((d) => this.#afterWorkspaceLimit(ctx, d));
    return this.#afterWorkspaceLimit(ctx, decision);
  }

  #afterWorkspaceLimit(ctx: Ctx, decision: RateLimitDecision): Step<AuthResult> {
    if (!this.#admit(ctx, decision, 'workspace', ctx.workspace!.id)) {
      return this.#rateLimited(ctx.requestId, decision);
    }
    // Report the tighter of the two limits in the headers.
    if (ctx.decision === null || decision.remaining < ctx.decision.remaining)
      ctx.decision = decision;
    return this.#checkSpend(ctx);
  }

  #checkSpend(ctx: Ctx): Step<AuthResult> {
    const workspace = ctx.workspace;
    const limit = workspace?.monthlySpendLimitMicros ?? null;
    if (workspace === null || limit === null) return this.#succeed(ctx);
    const period = this.#months.period(ctx.now);
    const cached = this.#spend.get(workspace.id);
    if (cached !== undefined && cached.period === period && cached.expiresAt > ctx.now) {
      return this.#afterSpend(ctx, cached.totalMicros, limit);
    }
    return this.options.spend.getSpend(workspace.id, period).then(
      (total) => {
        this.#rememberSpend(workspace.id, period, total);
        return this.#afterSpend(ctx, total, limit);
      },
      (error: unknown) => {
        throw this.#storeFault(error);
      },
    );
  }

  #afterSpend(ctx: Ctx, totalMicros: number, limitMicros: number): AuthResult {
    if (totalMicros < limitMicros) return this.#succeed(ctx);
    const error = this.#spendLimitError(ctx.requestId, ctx.now);
    return { ok: false, error, headers: errorHeaders(error, ctx.requestId) };
  }

  /** 429 with `x-should-retry: false` and `retry-after` until the next UTC month. */
  #spendLimitError(requestId: string, now: number): ClaudeAuthError {
    return expectedError('spend_limited', {
      vocabulary: this.options.vocabulary,
      requestId,
      retryAfter: retryAfterSeconds(this.#months.nextStart(now) - now),
      headers: { 'x-should-retry': 'false' },
    });
  }

  #succeed(ctx: Ctx): AuthResult {
    const record = ctx.record!;
    const headers: Record<string, string> = { [HEADER_REQUEST_ID]: ctx.requestId };
    const decision = ctx.decision;
    if (decision !== null) {
      headers[RATE_LIMIT_HEADERS.limit] = String(decision.limit);
      headers[RATE_LIMIT_HEADERS.remaining] = String(decision.remaining);
      headers[RATE_LIMIT_HEADERS.reset] = formatResetTime(decision.resetAt);
    }
    if (ctx.deprecation !== null) Object.assign(headers, ctx.deprecation);
    this.keys.recordUsage(record.id, new Date(ctx.now), ctx.workspaceId);
    const auth: ClaudeAuth = {
      keyId: record.id,
      keyName: record.name,
      keyHint: record.hint,
      kind: record.kind,
      environment: record.environment,
      keyWorkspaceId: record.workspaceId,
      workspaceId: ctx.workspaceId,
      permissions: record.permissions,
      version: ctx.version,
      requestId: ctx.requestId,
      recordSpend: this.#spender(ctx.workspaceId, ctx.requestId),
    };
    return { ok: true, auth, headers };
  }

  // --- authorize: a route's requirements after a global middleware --------------------------------

  #authorize(
    auth: ClaudeAuth,
    request: AuthRequest,
    requirements: RouteRequirements,
  ): Step<AuthResult> {
    const requestId = auth.requestId;
    const target = this.#targetWorkspace(requirements, request, auth.workspaceId);
    if (target === undefined) return this.#reject(requestId, 'access_denied');
    if (!this.#allowed(auth.kind, auth.permissions, requirements))
      return this.#reject(requestId, 'access_denied');
    if (target === null) return { ok: true, auth, headers: { [HEADER_REQUEST_ID]: requestId } };
    if (auth.keyWorkspaceId !== null && auth.keyWorkspaceId !== target) {
      return this.#reject(requestId, 'access_denied');
    }
    // Deny by default: the workspace must be known to the store and active, cached or not.
    const cached = this.#workspaces.get(target, this.#now());
    if (cached !== undefined) return this.#authorizeIn(auth, cached);
    return this.#workspaceOf(target).then((workspace) => this.#authorizeIn(auth, workspace));
  }

  #authorizeIn(auth: ClaudeAuth, workspace: WorkspaceRecord | null): Step<AuthResult> {
    const requestId = auth.requestId;
    if (workspace === null || workspace.status !== 'active')
      return this.#reject(requestId, 'access_denied');
    const headers = { [HEADER_REQUEST_ID]: requestId };
    if (workspace.id === auth.workspaceId) return { ok: true, auth, headers };
    // Re-targeted: the route's workspace limits apply, as `authenticate` would have applied them.
    const rule = workspace.rateLimit === null ? this.#workspaceRule : ruleOf(workspace.rateLimit);
    if (rule === null) return this.#authorizeSpend(auth, workspace);
    const decision = this.#consume(`w:${workspace.id}`, rule);
    const after = (d: RateLimitDecision): Step<AuthResult> => {
      const now = this.#now();
      if (!this.#admit({ now, requestId }, d, 'workspace', workspace.id))
        return this.#rateLimited(requestId, d);
      return this.#authorizeSpend(auth, workspace);
    };
    return isPromise(decision) ? decision.then(after) : after(decision);
  }

  #authorizeSpend(auth: ClaudeAuth, workspace: WorkspaceRecord): Step<AuthResult> {
    const moved = (): AuthResult => {
      // Counted only now, against a workspace that exists and admitted the request.
      this.keys.moveRequestCount(auth.workspaceId, workspace.id, new Date(this.#now()));
      return {
        ok: true,
        auth: {
          ...auth,
          workspaceId: workspace.id,
          recordSpend: this.#spender(workspace.id, auth.requestId),
        },
        headers: { [HEADER_REQUEST_ID]: auth.requestId },
      };
    };
    const limit = workspace.monthlySpendLimitMicros;
    if (limit === null) return moved();
    const now = this.#now();
    const period = this.#months.period(now);
    const cached = this.#spend.get(workspace.id);
    const judge = (total: number): AuthResult => {
      if (total < limit) return moved();
      const error = this.#spendLimitError(auth.requestId, now);
      return { ok: false, error, headers: errorHeaders(error, auth.requestId) };
    };
    if (cached !== undefined && cached.period === period && cached.expiresAt > now)
      return judge(cached.totalMicros);
    return this.options.spend.getSpend(workspace.id, period).then(
      (total) => {
        this.#rememberSpend(workspace.id, period, total);
        return judge(total);
      },
      (error: unknown) => {
        throw this.#storeFault(error);
      },
    );
  }

  /** The workspace from the store (`null` when unknown), remembered in the workspace cache. */
  #workspaceOf(id: string): Promise<WorkspaceRecord | null> {
    return this.options.store.getWorkspace(id).then(
      (workspace) => {
        this.#storeUp();
        this.#workspaces.set(id, workspace, this.#now());
        return workspace;
      },
      (error: unknown) => {
        throw this.#storeFault(error);
      },
    );
  }

  // --- helpers ------------------------------------------------------------------------------------

  /**
   * The workspace a request acts in: the route's, else the `anthropic-workspace-id` header, else
   * `fallback` (the key's own). `undefined` for an unusable value (duplicated header, empty id).
   */
  #targetWorkspace(
    requirements: RouteRequirements | undefined,
    request: AuthRequest,
    fallback: string | null,
  ): string | null | undefined {
    const route = requirements?.workspace;
    if (route !== undefined) {
      const id = typeof route === 'function' ? route(request) : route;
      if (id !== undefined) return id === '' ? undefined : id;
    }
    const header = request.headers['anthropic-workspace-id'];
    if (header === undefined) return fallback;
    if (typeof header !== 'string' || header === '' || header.includes(',')) return undefined;
    return header;
  }

  #allowed(
    kind: string,
    permissions: readonly string[],
    requirements: RouteRequirements | undefined,
  ): boolean {
    if (requirements === undefined) return true;
    if (requirements.admin === true && kind !== 'admin') return false;
    const needed = requirements.permissions;
    if (needed === undefined || needed.length === 0 || permissions.includes('*')) return true;
    for (const permission of needed) if (!permissions.includes(permission)) return false;
    return true;
  }

  #consume(bucket: string, rule: RateLimitRule): Step<RateLimitDecision> {
    if (this.#syncLimiter !== null) return this.#syncLimiter.consumeSync(bucket, rule);
    return this.#limiter.consume(bucket, rule).then(
      (decision) => {
        if (this.#limiterDown) {
          this.#limiterDown = false;
          this.options.logger.info?.('claude-auth: rate limiter available again');
        }
        return decision;
      },
      (error: unknown) => this.#limiterFailed(error, bucket, rule),
    );
  }

  #limiterFailed(error: unknown, bucket: string, rule: RateLimitRule): RateLimitDecision {
    const failClosed = this.options.rateLimit.onLimiterError === 'fail-closed';
    if (!this.#limiterDown) {
      this.#limiterDown = true;
      this.options.logger.warn(
        failClosed
          ? 'claude-auth: rate limiter unavailable; refusing requests (onLimiterError: fail-closed)'
          : 'claude-auth: rate limiter unavailable; falling back to a per-process limiter',
        { error: error instanceof Error ? error.name : typeof error },
      );
    }
    if (failClosed) throw new StoreFault(error);
    this.#fallbackLimiter ??= new MemoryRateLimiter({ now: this.#now });
    return this.#fallbackLimiter.consumeSync(bucket, rule);
  }

  /** Whether a decision lets the request on; in shadow mode always, logging refusals. */
  #admit(
    ctx: Pick<Ctx, 'now' | 'requestId'>,
    decision: RateLimitDecision,
    scope: 'key' | 'workspace',
    id: string,
  ): boolean {
    if (decision.allowed) return true;
    if (!this.options.rateLimit.shadow) return false;
    const subject = `${scope}:${id}`;
    const last = this.#shadowLogged.get(subject);
    if (last === undefined || ctx.now - last >= WINDOW_MS) {
      if (this.#shadowLogged.size >= 10_000) this.#shadowLogged.clear();
      this.#shadowLogged.set(subject, ctx.now);
      this.options.logger.warn('claude-auth: rate limit exceeded (shadow mode: not enforced)', {
        scope,
        id,
        limit: decision.limit,
        requestId: ctx.requestId,
      });
    }
    return true;
  }

  #rateLimited(requestId: string, decision: RateLimitDecision): AuthResult {
    const error = expectedError('rate_limited', {
      vocabulary: this.options.vocabulary,
      requestId,
      retryAfter: retryAfterSeconds(decision.retryAfterMs),
    });
    const headers = errorHeaders(error, requestId);
    headers[RATE_LIMIT_HEADERS.limit] = String(decision.limit);
    headers[RATE_LIMIT_HEADERS.remaining] = String(decision.remaining);
    headers[RATE_LIMIT_HEADERS.reset] = formatResetTime(decision.resetAt);
    return { ok: false, error, headers };
  }

  #reject(
    requestId: string,
    condition: AuthCondition,
    retryAfter?: number,
    cause?: unknown,
    message?: string,
  ): AuthResult {
    const details: Parameters<typeof createAuthError>[1] = {
      vocabulary: this.options.vocabulary,
      requestId,
    };
    if (retryAfter !== undefined) details.retryAfter = retryAfter;
    if (message !== undefined) details.message = message;
    let error: ClaudeAuthError;
    if (cause === undefined) error = expectedError(condition, details);
    else {
      details.cause = cause;
      error = createAuthError(condition, details);
    }
    return { ok: false, error, headers: errorHeaders(error, requestId) };
  }

  /**
   * A 401, counted against (client address, credential shape); once that pair has failed too
   * often, a 429 instead. The failed-attempts gate lives only here, on the failure path: a request
   * whose key is valid never gets here, so it is never refused for its address's failures, and an
   * accepted request never reads its address (`request.ip` is lazy; Express's parses headers).
   * Shapes keep one client's bad keys from locking out a neighbour behind the same NAT or proxy
   * who sends none, or a malformed one: `none` (no credential), `query` (key in the URL),
   * `malformed` (refused before any lookup), `well-formed` (looked up, not usable).
   */
  #authFailure(
    ctx: Ctx,
    condition: AuthCondition,
    message?: string,
    shape?: CredentialShape,
  ): AuthResult {
    const failed = this.#failed;
    const ip = failed === null ? undefined : ctx.request.ip;
    if (failed === null || ip === undefined)
      return this.#reject(ctx.requestId, condition, undefined, undefined, message);
    const subject = `${shape ?? SHAPE_OF[condition] ?? 'malformed'}:${ip}`;
    const gate = failed.mayRefuse() ? failed.check(subject) : null;
    failed.record(subject);
    if (gate !== null && !gate.allowed) {
      return this.#reject(ctx.requestId, 'rate_limited', retryAfterSeconds(gate.retryAfterMs));
    }
    return this.#reject(ctx.requestId, condition, undefined, undefined, message);
  }

  /** The 400 message for an unusable version: the base text and the versions accepted here. */
  #versionMessage(now: number): string {
    const accepted = acceptedVersions(this.options.versions, this.options.versionPolicy, now);
    return `${AUTH_CONDITIONS.invalid_version.message}; supported versions: ${accepted.join(', ')}`;
  }

  #crash(requestId: string, error: unknown): AuthResult {
    const unavailable = error instanceof StoreFault || isUnavailableError(error);
    if (!unavailable) {
      this.options.logger.error('claude-auth: unexpected error while authenticating', {
        error: error instanceof Error ? error.name : typeof error,
        requestId,
      });
    }
    const condition: AuthCondition = unavailable ? 'store_unavailable' : 'internal';
    return this.#reject(
      requestId,
      condition,
      undefined,
      error instanceof StoreFault ? error.cause : error,
    );
  }

  #storeFault(error: unknown): StoreFault {
    if (!this.#storeDown) {
      this.#storeDown = true;
      this.options.logger.error('claude-auth: key store unavailable; refusing requests with 503', {
        error: error instanceof Error ? error.name : typeof error,
      });
    }
    return new StoreFault(error);
  }

  #storeUp(): void {
    if (this.#storeDown) {
      this.#storeDown = false;
      this.options.logger.info?.('claude-auth: key store available again');
    }
  }

  #rememberSpend(workspaceId: string, period: string, totalMicros: number): void {
    if (this.#spendTtlMs <= 0) return;
    if (this.#spend.size >= 10_000) this.#spend.clear();
    this.#spend.set(workspaceId, {
      period,
      totalMicros,
      expiresAt: this.#now() + this.#spendTtlMs,
    });
  }

  #spender(workspaceId: string | null, requestId: string): ClaudeAuth['recordSpend'] {
    let calls = 0;
    return (usd, options) =>
      this.#recordSpend(
        workspaceId,
        usd,
        options?.force === true,
        requestId,
        options?.debitId ?? debitIdFor(requestId, workspaceId, calls++),
      );
  }

  /**
   * Debits `usd` with a debit id, so that the ledger applies it at most once. Amounts are counted
   * in nano-dollars: what is below one micro-dollar is carried (per workspace and month) into the
   * next debit instead of being rounded away. When the ledger fails, the outcome is unknown (a
   * timed-out write may still commit): the error is rethrown (a 503) and the debit is settled in
   * the background: voided, since the request is refused, or re-applied if it was forced.
   */
  async #recordSpend(
    workspaceId: string | null,
    usd: number,
    force: boolean,
    requestId: string,
    debitId: string,
  ): Promise<RecordSpendResult> {
    // Validates first (InvalidRequestError for a negative, non-finite or too large amount).
    const wholeMicros = usdToMicros(usd);
    const nanos = usdToNanos(usd);
    if (workspaceId === null) return { applied: false, totalMicros: 0, limitMicros: null };
    const now = this.#now();
    const period = this.#months.period(now);
    let workspace = this.#workspaces.get(workspaceId, now);
    if (workspace === undefined) {
      workspace = await this.options.store.getWorkspace(workspaceId);
      this.#workspaces.set(workspaceId, workspace, this.#now());
    }
    const limitMicros = workspace?.monthlySpendLimitMicros ?? null;
    const slot = `${workspaceId}\u0000${period}`;
    const carried = this.#takeCarry(slot);
    // Past ~$9M a cost is debited in whole micro-dollars; the carry waits for the next one.
    const { micros: amountMicros, rest } =
      nanos === null ? { micros: wholeMicros, rest: carried } : splitNanos(carried + nanos);
    const refuse = (totalMicros: number): RecordSpendResult => {
      this.#addCarry(slot, carried);
      return {
        applied: false,
        totalMicros,
        limitMicros,
        error: this.#spendLimitError(requestId, this.#now()),
      };
    };
    if (amountMicros === 0) {
      // Nothing to debit yet, but the limit still decides.
      let totalMicros: number;
      try {
        totalMicros = await this.options.spend.getSpend(workspaceId, period);
      } catch (error) {
        this.#addCarry(slot, force ? rest : carried);
        throw error;
      }
      if (!force && limitMicros !== null && totalMicros >= limitMicros) return refuse(totalMicros);
      this.#addCarry(slot, rest);
      return { applied: true, totalMicros, limitMicros };
    }
    const debit = { workspaceId, period, amountMicros, limitMicros, force, debitId };
    let result: SpendResult;
    try {
      result = await this.options.spend.debitSpend(debit);
    } catch (error) {
      // A refusal of the input itself (e.g. a malformed `debitId`) applied nothing; any other
      // failure leaves the outcome unknown.
      const rejected = isClaudeAuthError(error) && error.status === 400;
      if (force && !rejected) {
        this.#addCarry(slot, rest);
        this.#settler.redo(debit);
      } else {
        this.#addCarry(slot, carried);
        if (!rejected) this.#settler.void({ workspaceId, period, debitId });
      }
      throw error;
    }
    this.#rememberSpend(workspaceId, period, result.totalMicros);
    if (!result.applied) return refuse(result.totalMicros);
    this.#addCarry(slot, rest);
    return { applied: true, totalMicros: result.totalMicros, limitMicros };
  }

  /** Removes and returns the carried nano-dollars of a (workspace, month). */
  #takeCarry(slot: string): number {
    const carried = this.#spendCarry.get(slot) ?? 0;
    if (carried !== 0) this.#spendCarry.delete(slot);
    return carried;
  }

  /** Adds nano-dollars to a carry (bounded: past 10 000 slots, carries below 1 micro-dollar each are dropped). */
  #addCarry(slot: string, nanos: number): void {
    if (nanos === 0) return;
    if (this.#spendCarry.size >= 10_000 && !this.#spendCarry.has(slot)) this.#spendCarry.clear();
    this.#spendCarry.set(slot, (this.#spendCarry.get(slot) ?? 0) + nanos);
  }
}

/**
 * Creates the inbound authentication pipeline. Options are validated once (bad ones throw
 * `ConfigurationError`); every request then resolves to `{ ok: true, auth, headers }` or
 * `{ ok: false, error, headers }`, never a rejection.
 *
 * @example
 * ```ts
 * const auth = createAuthenticator({ store: SqliteKeyStore.open('keys.db') });
 * const { secret } = await auth.keys.createKey({ name: 'Production' });
 * const result = await auth.authenticate({
 *   method: 'POST',
 *   url: '/v1/messages',
 *   headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
 * });
 * if (!result.ok) res.writeHead(result.error.status, result.headers).end(JSON.stringify(result.error));
 * ```
 */
export function createAuthenticator(options: AuthenticatorOptions = {}): Authenticator {
  return new Pipeline(resolveAuthenticatorOptions(options));
}
