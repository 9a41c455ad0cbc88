import { AUTH_CONDITIONS } from '../errors/error-table.js';
import { hashKey } from '../keys/hash.js';
import { KEY_MAX_LENGTH, KEY_MIN_LENGTH, parseApiKey } from '../keys/key-format.js';
import type { RateLimitDecision } from '../limits/rate-limiter.js';
import type { KeyManager } from '../manager/key-manager.js';
import type { ApiKeyRecord, WorkspaceRecord } from '../store/key-store.js';
import { BoundedMap } from '../util/bounded-map.js';
import {
  acceptedVersions,
  checkVersion,
  deprecationHeaders,
  type ApiVersion,
} from '../versions.js';
import { meetsRequirements, targetWorkspace } from './access.js';
import {
  resolveAuthenticatorOptions,
  type AuthenticatorOptions,
  type ResolvedAuthenticatorOptions,
} from './authenticator-options.js';
import { hasBody, isJsonContentType } from './content-type.js';
import { missingCredentialMessage, readCredential } from './credential.js';
import { errorResponse, type ErrorResponse } from './error-response.js';
import type { FailedAuthLimiter } from './failed-auth-limiter.js';
import { isUsableKey, KeyLookup } from './key-lookup.js';
import { isPromise, type Step } from './pipeline-support.js';
import { hasKeyInQuery } from './query-key.js';
import { RATE_LIMIT_HEADERS, formatResetTime } from './rate-limit-headers.js';
import { RateLimits, ruleOf } from './rate-limits.js';
import { Refusals, type CredentialShape } from './refusals.js';
import { RouteAccess } from './route-access.js';
import { newRequestId } from './request-id.js';
import { SpendAccount } from './spend-account.js';
import type { AuthRequest, AuthResult, ClaudeAuth, RouteRequirements } from './types.js';
import { VerificationCache } from './verification-cache.js';
import { WorkspaceCache } from './workspace-cache.js';

import type { Authenticator } from './authenticator-interface.js';

export type { Authenticator };

/**
 * The `deprecation` response header value sent for the default registry's deprecated version
 * (`2023-01-01`, undated); see `deprecationHeaders` for any version.
 */
export const DEPRECATION_HEADER_VALUE = 'version="2023-01-01"';

const HEADER_REQUEST_ID = 'request-id';

/** Per-request state, one object per request, filled in by the steps in order. */
interface Ctx {
  readonly request: AuthRequest;
  readonly requirements: RouteRequirements | undefined;
  readonly requestId: string;
  now: number;
  hash: string;
  /** Set by the key step. */
  record: ApiKeyRecord | null;
  version: ApiVersion;
  /** `deprecation` (and `sunset`) headers for a deprecated version, else `null`. */
  deprecation: Record<string, string> | null;
  workspaceId: string | null;
  workspace: WorkspaceRecord | null;
  decision: RateLimitDecision | null;
}

/**
 * The pipeline, in DESIGN.md order. Each step is one method that either refuses (a ready
 * `AuthResult`) or hands the request to the next one:
 *
 * credential → key → version → content type → access → limits → spend → success headers.
 */
class Pipeline implements Authenticator {
  readonly options: ResolvedAuthenticatorOptions;
  readonly keys: KeyManager;
  readonly #now: () => number;
  readonly #cache: VerificationCache | null;
  readonly #workspaces: WorkspaceCache;
  readonly #refusals: Refusals;
  readonly #limits: RateLimits;
  readonly #spend: SpendAccount;
  readonly #routes: RouteAccess;
  readonly #lookup: KeyLookup;
  readonly #deprecationWarned = new BoundedMap<string, true>(10_000);
  readonly #unsubscribe: () => void;
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
    this.#refusals = new Refusals(options);
    this.#lookup = new KeyLookup(options.keys, this.#cache, this.#refusals);
    this.#limits = new RateLimits(options);
    this.#spend = new SpendAccount({
      ledger: options.spend,
      store: options.store,
      workspaces: this.#workspaces,
      vocabulary: options.vocabulary,
      logger: options.logger,
      now: options.now,
      totalTtlMs: Math.min(ttl, 1_000),
      fault: (error) => this.#refusals.storeFault(error),
    });
    this.#routes = new RouteAccess({
      store: options.store,
      keys: options.keys,
      workspaces: this.#workspaces,
      refusals: this.#refusals,
      limits: this.#limits,
      spend: this.#spend,
      now: options.now,
    });
    this.#missingMessage = missingCredentialMessage(options.credentials);
    this.#unsubscribe = options.invalidation.subscribe(({ keyId, workspaceId }) => {
      if (workspaceId !== undefined) {
        this.#workspaces.delete(workspaceId);
        this.#spend.forget(workspaceId);
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
    return this.#refusals.failed;
  }

  authenticate(request: AuthRequest, requirements?: RouteRequirements): Promise<AuthResult> {
    let requestId: string;
    try {
      requestId = this.options.requestId();
    } catch (error) {
      return Promise.resolve(this.#refusals.crash(newRequestId(), error));
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
    return this.#settle(requestId, () => this.#credential(ctx));
  }

  authorize(
    auth: ClaudeAuth,
    request: AuthRequest,
    requirements: RouteRequirements,
  ): Promise<AuthResult> {
    return this.#settle(auth.requestId, () => this.#routes.authorize(auth, request, requirements));
  }

  errorResponse(error: unknown, requestId?: string): ErrorResponse {
    return errorResponse(error, this.options.vocabulary, requestId);
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    this.#lookup.clear();
    if (this.options.ownsKeys) await this.keys.close();
    await this.#limits.close();
    await this.#spend.close();
  }

  /** Runs a chain of steps; a throw or rejection anywhere becomes a 503/500 result. */
  #settle(requestId: string, run: () => Step<AuthResult>): Promise<AuthResult> {
    try {
      const result = run();
      if (!isPromise(result)) return Promise.resolve(result);
      return result.catch((error: unknown) => this.#refusals.crash(requestId, error));
    } catch (error) {
      return Promise.resolve(this.#refusals.crash(requestId, error));
    }
  }

  /** A 401 (or the failed-attempts gate's 429) for the credential or key step. */
  #fail(
    ctx: Ctx,
    condition: 'invalid_api_key' | 'missing_api_key' | 'key_in_query',
    message?: string,
    shape?: CredentialShape,
  ): AuthResult {
    return this.#refusals.authFailure(ctx.request, ctx.requestId, condition, message, shape);
  }

  // --- the steps ----------------------------------------------------------------------------------

  /** Credential: x-api-key or `Authorization: Bearer`, never in the URL, within length bounds. */
  #credential(ctx: Ctx): Step<AuthResult> {
    if (hasKeyInQuery(ctx.request.url)) return this.#fail(ctx, 'key_in_query');
    const secret = readCredential(ctx.request.headers, this.options.credentials);
    if (typeof secret !== 'string') {
      if (secret.refused === 'invalid_api_key') return this.#fail(ctx, 'invalid_api_key');
      return this.#fail(ctx, 'missing_api_key', this.#missingMessage);
    }
    // Cheap bound first: never hash an arbitrarily long header.
    if (secret.length < KEY_MIN_LENGTH || secret.length > KEY_MAX_LENGTH) {
      return this.#fail(ctx, 'invalid_api_key');
    }
    ctx.hash = hashKey(secret);
    ctx.now = this.#now();
    // A cached answer needs no format check: a positive entry's hash is the hash of a key this
    // library generated (well-formed, right checksum; its environment is judged from the record),
    // and a negative entry was only ever stored after the format check passed.
    const cached = this.#lookup.cached(ctx.hash, ctx.now);
    if (cached !== undefined) return this.#key(ctx, cached);
    // Format, checksum and environment before any store call.
    const parsed = parseApiKey(secret);
    if (parsed === null || parsed.environment !== this.options.environment) {
      return this.#fail(ctx, 'invalid_api_key');
    }
    return this.#lookup.find(secret, ctx.hash).then((record) => this.#key(ctx, record));
  }

  /** Key: known, active, this environment, not expired, current hash or a live previous one. */
  #key(ctx: Ctx, record: ApiKeyRecord | null): Step<AuthResult> {
    if (!isUsableKey(record, ctx.hash, this.options.environment, ctx.now)) {
      return this.#fail(ctx, 'invalid_api_key', undefined, 'well-formed');
    }
    ctx.record = record;
    return this.#version(ctx);
  }

  /** Version: known and not retired; a deprecated one per the policy (headers, one warning). */
  #version(ctx: Ctx): Step<AuthResult> {
    const { versions, versionPolicy: policy } = this.options;
    const version = ctx.request.headers['anthropic-version'];
    const check = checkVersion(version, policy, versions, ctx.now);
    if (check.status === 'unknown' || check.status === 'retired') {
      const accepted = acceptedVersions(versions, policy, ctx.now);
      const message = `${AUTH_CONDITIONS.invalid_version.message}; supported versions: ${accepted.join(', ')}`;
      return this.#refusals.reject(ctx.requestId, 'invalid_version', undefined, undefined, message);
    }
    if (!check.accepted) return this.#refusals.reject(ctx.requestId, 'deprecated_version');
    ctx.version = version as ApiVersion;
    if (check.warn) {
      ctx.deprecation = deprecationHeaders(ctx.version, versions[ctx.version]!);
      const keyId = ctx.record!.id;
      if (this.#deprecationWarned.first(keyId, true)) {
        this.options.logger.warn('claude-auth: request uses a deprecated anthropic-version', {
          version,
          keyId,
          requestId: ctx.requestId,
        });
      }
    }
    return this.#contentType(ctx);
  }

  /** Content type: a request with a body must send JSON. */
  #contentType(ctx: Ctx): Step<AuthResult> {
    const headers = ctx.request.headers;
    if (hasBody(headers) && !isJsonContentType(headers['content-type'])) {
      return this.#refusals.reject(ctx.requestId, 'unsupported_media_type');
    }
    return this.#workspace(ctx);
  }

  /** Access, part one: the target workspace (route, header or the key's own), from the store. */
  #workspace(ctx: Ctx): Step<AuthResult> {
    const record = ctx.record!;
    const target = targetWorkspace(ctx.requirements, ctx.request, record.workspaceId);
    if (target === undefined) return this.#refusals.reject(ctx.requestId, 'access_denied');
    ctx.workspaceId = target;
    if (target === null) return this.#access(ctx, null);
    if (record.workspaceId !== null && record.workspaceId !== target) {
      return this.#refusals.reject(ctx.requestId, 'access_denied');
    }
    const workspace = this.#routes.workspace(target, ctx.now);
    if (isPromise(workspace)) return workspace.then((w) => this.#access(ctx, w));
    return this.#access(ctx, workspace);
  }

  /** Access, part two: an active workspace, and the route's permissions and admin requirement. */
  #access(ctx: Ctx, workspace: WorkspaceRecord | null): Step<AuthResult> {
    const record = ctx.record!;
    if (ctx.workspaceId !== null && (workspace === null || workspace.status !== 'active')) {
      return this.#refusals.reject(ctx.requestId, 'access_denied');
    }
    if (!meetsRequirements(record.kind, record.permissions, ctx.requirements)) {
      return this.#refusals.reject(ctx.requestId, 'access_denied');
    }
    ctx.workspace = workspace;
    return this.#keyLimit(ctx);
  }

  /** Limits, part one: the key's rate limit (its own policy, else the default). */
  #keyLimit(ctx: Ctx): Step<AuthResult> {
    const record = ctx.record!;
    const rule = record.rateLimit === null ? this.#limits.keyRule : ruleOf(record.rateLimit);
    if (rule === null) return this.#workspaceLimit(ctx);
    return this.#limits.then(`k:${record.id}`, rule, (decision) => {
      if (!this.#limits.admit(ctx.now, ctx.requestId, decision, 'key', record.id))
        return this.#limits.refuse(ctx.requestId, decision);
      ctx.decision = decision;
      return this.#workspaceLimit(ctx);
    });
  }

  /** Limits, part two: the workspace's rate limit; the tighter decision goes in the headers. */
  #workspaceLimit(ctx: Ctx): Step<AuthResult> {
    const { workspace } = ctx;
    if (workspace === null) return this.#spendLimit(ctx);
    const limits = this.#limits;
    const rule = workspace.rateLimit === null ? limits.workspaceRule : ruleOf(workspace.rateLimit);
    if (rule === null) return this.#spendLimit(ctx);
    return limits.then(`w:${workspace.id}`, rule, (decision) => {
      if (!limits.admit(ctx.now, ctx.requestId, decision, 'workspace', workspace.id))
        return limits.refuse(ctx.requestId, decision);
      if (ctx.decision === null || decision.remaining < ctx.decision.remaining)
        ctx.decision = decision;
      return this.#spendLimit(ctx);
    });
  }

  /** Spend: a workspace with a monthly limit must be under it. */
  #spendLimit(ctx: Ctx): Step<AuthResult> {
    const limit = ctx.workspace?.monthlySpendLimitMicros ?? null;
    if (ctx.workspace === null || limit === null) return this.#success(ctx);
    const under = (total: number): AuthResult =>
      total < limit ? this.#success(ctx) : this.#routes.spendRefusal(ctx.requestId, ctx.now);
    const total = this.#spend.total(ctx.workspace.id, ctx.now);
    return isPromise(total) ? total.then(under) : under(total);
  }

  /** Success: request id, the tighter rate-limit decision, deprecation; usage is recorded. */
  #success(ctx: Ctx): AuthResult {
    const record = ctx.record!;
    const decision = ctx.decision;
    const headers: Record<string, string> = { [HEADER_REQUEST_ID]: ctx.requestId };
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
      recordSpend: this.#spend.spender(ctx.workspaceId, ctx.requestId),
    };
    return { ok: true, auth, headers };
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
