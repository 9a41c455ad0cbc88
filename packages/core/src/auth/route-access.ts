import type { KeyManager } from '../manager/key-manager.js';
import type { KeyStore, WorkspaceRecord } from '../store/key-store.js';
import { meetsRequirements, targetWorkspace } from './access.js';
import { isPromise, refusal, type Step } from './pipeline-support.js';
import { ruleOf, type RateLimits } from './rate-limits.js';
import type { Refusals } from './refusals.js';
import type { SpendAccount } from './spend-account.js';
import type { AuthRequest, AuthResult, ClaudeAuth, RouteRequirements } from './types.js';
import type { WorkspaceCache } from './workspace-cache.js';

const HEADER_REQUEST_ID = 'request-id';

/** What {@link RouteAccess} works with: the pipeline's own parts. */
export interface RouteAccessParts {
  store: KeyStore;
  keys: KeyManager;
  workspaces: WorkspaceCache;
  refusals: Refusals;
  limits: RateLimits;
  spend: SpendAccount;
  now: () => number;
}

/**
 * Workspaces as the pipeline sees them (through the workspace cache, deny by default) and
 * `authorize()`: a route's requirements for an already authenticated request, re-targeted to
 * the route's workspace with that workspace's rate and spend limits.
 *
 * @example
 * ```ts
 * const access = new RouteAccess(parts);
 * const result = await access.authorize(req.claudeAuth, authRequest, { permissions: ['admin'] });
 * ```
 */
export class RouteAccess {
  readonly #p: RouteAccessParts;

  constructor(parts: RouteAccessParts) {
    this.#p = parts;
  }

  /** The workspace (`null` when unknown): from the cache, else from the store (then cached). */
  workspace(id: string, now: number): Step<WorkspaceRecord | null> {
    const cached = this.#p.workspaces.get(id, now);
    if (cached !== undefined) return cached;
    const { refusals } = this.#p;
    return this.#p.store.getWorkspace(id).then(
      (workspace) => {
        refusals.storeUp();
        this.#p.workspaces.set(id, workspace, this.#p.now());
        return workspace;
      },
      (error: unknown) => {
        throw refusals.storeFault(error);
      },
    );
  }

  /** The 429 of a workspace over its monthly spend limit. */
  spendRefusal(requestId: string, now: number): AuthResult {
    return refusal(this.#p.spend.limitError(requestId, now), requestId);
  }

  /** See `Authenticator.authorize`. */
  authorize(
    auth: ClaudeAuth,
    request: AuthRequest,
    requirements: RouteRequirements,
  ): Step<AuthResult> {
    const { refusals } = this.#p;
    const requestId = auth.requestId;
    const target = targetWorkspace(requirements, request, auth.workspaceId);
    if (target === undefined) return refusals.reject(requestId, 'access_denied');
    if (!meetsRequirements(auth.kind, auth.permissions, requirements))
      return refusals.reject(requestId, 'access_denied');
    if (target === null) return { ok: true, auth, headers: { [HEADER_REQUEST_ID]: requestId } };
    if (auth.keyWorkspaceId !== null && auth.keyWorkspaceId !== target) {
      return refusals.reject(requestId, 'access_denied');
    }
    // Deny by default: the workspace must be known to the store and active, cached or not.
    const workspace = this.workspace(target, this.#p.now());
    if (isPromise(workspace)) return workspace.then((w) => this.#authorizeIn(auth, w));
    return this.#authorizeIn(auth, workspace);
  }

  #authorizeIn(auth: ClaudeAuth, workspace: WorkspaceRecord | null): Step<AuthResult> {
    const requestId = auth.requestId;
    if (workspace === null || workspace.status !== 'active')
      return this.#p.refusals.reject(requestId, 'access_denied');
    const headers = { [HEADER_REQUEST_ID]: requestId };
    if (workspace.id === auth.workspaceId) return { ok: true, auth, headers };
    // Re-targeted: the route's workspace limits apply, as `authenticate` would have applied them.
    const { limits } = this.#p;
    const rule = workspace.rateLimit === null ? limits.workspaceRule : ruleOf(workspace.rateLimit);
    if (rule === null) return this.#authorizeSpend(auth, workspace);
    return limits.then(`w:${workspace.id}`, rule, (decision) => {
      if (!limits.admit(this.#p.now(), requestId, decision, 'workspace', workspace.id))
        return limits.refuse(requestId, decision);
      return this.#authorizeSpend(auth, workspace);
    });
  }

  #authorizeSpend(auth: ClaudeAuth, workspace: WorkspaceRecord): Step<AuthResult> {
    const { now, spend } = this.#p;
    const moved = (): AuthResult => {
      // Counted only now, against a workspace that exists and admitted the request.
      this.#p.keys.moveRequestCount(auth.workspaceId, workspace.id, new Date(now()));
      return {
        ok: true,
        auth: {
          ...auth,
          workspaceId: workspace.id,
          recordSpend: spend.spender(workspace.id, auth.requestId),
        },
        headers: { [HEADER_REQUEST_ID]: auth.requestId },
      };
    };
    const limit = workspace.monthlySpendLimitMicros;
    if (limit === null) return moved();
    const at = now();
    const under = (total: number): AuthResult =>
      total < limit ? moved() : this.spendRefusal(auth.requestId, at);
    const total = spend.total(workspace.id, at);
    return isPromise(total) ? total.then(under) : under(total);
  }
}
