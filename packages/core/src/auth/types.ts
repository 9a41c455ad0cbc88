/** Types of the inbound authentication pipeline, shared by core and every adapter. */
import type { ClaudeAuthError } from '../errors/claude-auth-error.js';
import type { ErrorResponse } from './error-response.js';
import type { KeyKind } from '../store/key-store.js';
import type { ApiVersion } from '../versions.js';

/** Header values as Node's `IncomingMessage.headers` has them (lower-case names). */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** The framework-free view of a request that the pipeline needs. */
export interface AuthRequest {
  method: string;
  /** Path and query, e.g. `/v1/messages?beta=true`. */
  url: string;
  /** Lower-case header names, as Node gives them. */
  headers: RequestHeaders;
  /** The client address, for the failed-attempts limiter. */
  ip?: string;
}

/** What a route requires beyond a valid key. */
export interface RouteRequirements {
  /** Every listed permission must be on the key (`*` on a key grants all). */
  permissions?: readonly string[];
  /**
   * The workspace the route belongs to: a fixed id, or a resolver reading the request (e.g. a
   * path parameter). Without one, `anthropic-workspace-id` decides; without that, the key's own.
   */
  workspace?: string | ((request: AuthRequest) => string | undefined);
  /** Only `admin` keys may call this route. */
  admin?: boolean;
}

/** Result of recording spend against the request's workspace. */
export interface RecordSpendResult {
  /**
   * Whether the debit was recorded. False either when the workspace's monthly limit was already
   * reached (`limitMicros` is then a number: refuse the request) or when the request acts in no
   * workspace (organisation-wide key without `anthropic-workspace-id`: nothing to debit,
   * `limitMicros` is `null`).
   */
  applied: boolean;
  /** The month's total after the call, in micro-dollars. */
  totalMicros: number;
  /** The monthly limit in micro-dollars, or `null` for none. */
  limitMicros: number | null;
  /**
   * When the limit refused the debit: the contract's 429 (`x-should-retry: false`, `retry-after`
   * until the next UTC month), ready to throw or send.
   */
  error?: ClaudeAuthError;
}

/** Who is calling: attached to the request by every adapter. Never holds the secret. */
export interface ClaudeAuth {
  keyId: string;
  keyName: string;
  /** Prefix plus last four characters: safe to log. */
  keyHint: string;
  kind: KeyKind;
  environment: string;
  /** The key's own workspace, `null` for an organisation-wide key. */
  keyWorkspaceId: string | null;
  /** The workspace this request acts in (header, route, or the key's own), or `null`. */
  workspaceId: string | null;
  permissions: readonly string[];
  /** The validated `anthropic-version`. */
  version: ApiVersion;
  /** The `request-id` sent on the response. */
  requestId: string;
  /**
   * Debits spend (USD) against the request's workspace for this month. Without `force`, the debit
   * is refused once the limit is reached; with `force` (usage that already happened) it is
   * always recorded. Amounts below one micro-dollar are carried into the next debit, not lost.
   * Each call is idempotent under its debit id (default: derived from the request id and the
   * call's position; pass `debitId` to make your own retries of one charge idempotent). When the
   * ledger is unreachable it rejects (a 503) and the debit is settled in the background: voided,
   * so a refused request is never charged, or re-applied once if forced.
   */
  recordSpend(
    usd: number,
    options?: { force?: boolean; debitId?: string },
  ): Promise<RecordSpendResult>;
}

/** The outcome of `authenticate`: discriminated on `ok`. */
export type AuthResult =
  | {
      ok: true;
      auth: ClaudeAuth;
      /** Headers to set on the response (request-id, rate limits, deprecation). */
      headers: Record<string, string>;
    }
  | {
      ok: false;
      /** The error; `error.status` and `error.toJSON()` make the response. */
      error: ClaudeAuthError;
      /** Headers to set on the error response (request-id, retry-after, ...). */
      headers: Record<string, string>;
      /**
       * The complete response, ready to write: `status`, every header (the same object as
       * `headers`) and the contract body (`JSON.stringify(response.body)`). Adapters only write it.
       */
      response: ErrorResponse;
    };

/** A minimal logger; `console` fits. Never receives key material. */
export interface Logger {
  debug?(message: string, meta?: Record<string, unknown>): void;
  info?(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}
