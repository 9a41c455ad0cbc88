import type { KeyManager } from '../manager/key-manager.js';
import type { ResolvedAuthenticatorOptions } from './authenticator-options.js';
import type { ErrorResponse } from './error-response.js';
import type { AuthRequest, AuthResult, ClaudeAuth, RouteRequirements } from './types.js';

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
  /** Unsubscribes from invalidations, flushes usage (when it owns the key manager), frees limiters. */
  close(): Promise<void>;
}
