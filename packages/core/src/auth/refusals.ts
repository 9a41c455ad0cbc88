import { createAuthError } from '../errors/claude-auth-error.js';
import type { AuthCondition } from '../errors/error-table.js';
import type { ResolvedAuthenticatorOptions } from './authenticator-options.js';
import { isUnavailableError } from './error-response.js';
import { FailedAuthLimiter } from './failed-auth-limiter.js';
import { expectedError, refusal, StoreFault, type AuthErrorDetails } from './pipeline-support.js';
import { retryAfterSeconds } from './rate-limit-headers.js';
import type { AuthRequest, AuthResult } from './types.js';

/** What a refused credential looked like: failed attempts are counted per address and shape. */
export type CredentialShape = 'none' | 'query' | 'malformed' | 'well-formed';

/** The shape of a credential refused before any lookup, by condition. */
const SHAPE_OF: Partial<Record<AuthCondition, CredentialShape>> = {
  missing_api_key: 'none',
  key_in_query: 'query',
  invalid_api_key: 'malformed',
};

/**
 * Every refusal the pipeline makes, as a ready `AuthResult`: contract refusals (no stack), the
 * failed-attempts gate on 401s, and the 503/500 of a store fault or a crash (logged once per
 * outage, or per crash).
 *
 * @example
 * ```ts
 * const refusals = new Refusals(options);
 * refusals.reject('req_1', 'access_denied').ok; // false
 * ```
 */
export class Refusals {
  readonly #o: ResolvedAuthenticatorOptions;
  readonly #failed: FailedAuthLimiter | null;
  #storeDown = false;

  constructor(options: ResolvedAuthenticatorOptions) {
    this.#o = options;
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
  }

  /** The failed-attempts limiter (`null` when `failedAuth: false`). */
  get failed(): FailedAuthLimiter | null {
    return this.#failed;
  }

  /** A contract refusal of `condition`; with a `cause` (503/500) the error keeps its stack. */
  reject(
    requestId: string,
    condition: AuthCondition,
    retryAfter?: number,
    cause?: unknown,
    message?: string,
  ): AuthResult {
    const details: AuthErrorDetails = { vocabulary: this.#o.vocabulary, requestId };
    if (retryAfter !== undefined) details.retryAfter = retryAfter;
    if (message !== undefined) details.message = message;
    if (cause === undefined) return refusal(expectedError(condition, details), requestId);
    details.cause = cause;
    return refusal(createAuthError(condition, details), requestId);
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
  authFailure(
    request: AuthRequest,
    requestId: string,
    condition: AuthCondition,
    message?: string,
    shape?: CredentialShape,
  ): AuthResult {
    const failed = this.#failed;
    const ip = failed === null ? undefined : request.ip;
    if (failed === null || ip === undefined)
      return this.reject(requestId, condition, undefined, undefined, message);
    const subject = `${shape ?? SHAPE_OF[condition] ?? 'malformed'}:${ip}`;
    const gate = failed.mayRefuse() ? failed.check(subject) : null;
    failed.record(subject);
    if (gate !== null && !gate.allowed) {
      return this.reject(requestId, 'rate_limited', retryAfterSeconds(gate.retryAfterMs));
    }
    return this.reject(requestId, condition, undefined, undefined, message);
  }

  /** The 503 (store fault, outage) or logged 500 (anything else) for a thrown value. */
  crash(requestId: string, error: unknown): AuthResult {
    const unavailable = error instanceof StoreFault || isUnavailableError(error);
    if (!unavailable) {
      this.#o.logger.error('claude-auth: unexpected error while authenticating', {
        error: error instanceof Error ? error.name : typeof error,
        requestId,
      });
    }
    const condition: AuthCondition = unavailable ? 'store_unavailable' : 'internal';
    const cause = error instanceof StoreFault ? error.cause : error;
    return this.reject(requestId, condition, undefined, cause);
  }

  /** Wraps a store rejection (a 503), logging once per outage. */
  storeFault(error: unknown): StoreFault {
    if (!this.#storeDown) {
      this.#storeDown = true;
      this.#o.logger.error('claude-auth: key store unavailable; refusing requests with 503', {
        error: error instanceof Error ? error.name : typeof error,
      });
    }
    return new StoreFault(error);
  }

  /** Notes a store answer: logs once when it comes back after an outage. */
  storeUp(): void {
    if (this.#storeDown) {
      this.#storeDown = false;
      this.#o.logger.info?.('claude-auth: key store available again');
    }
  }
}
