// @claude-auth/core public API. Re-exports only, by name, grouped by area.

// --- errors (contract) ---
export {
  AUTH_CONDITIONS,
  CLAUDE_ERROR_TYPES,
  CLAUDE_TYPE_STATUS,
  SPEC_ERROR_TYPES,
  type AuthCondition,
  type ClaudeErrorType,
  type ErrorType,
  type ErrorVocabulary,
  type SpecErrorType,
} from './errors/error-table.js';
export {
  ApiError,
  AuthenticationError,
  BillingError,
  ClaudeAuthError,
  ConfigurationError,
  InvalidApiKeyError,
  InvalidRequestError,
  MissingApiKeyError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  createAuthError,
  isClaudeAuthError,
  type ErrorBody,
  type ErrorDetails,
} from './errors/claude-auth-error.js';

// --- versions ---
export {
  API_VERSIONS,
  DEFAULT_API_VERSION,
  checkVersion,
  isApiVersion,
  type ApiVersion,
  type VersionCheck,
  type VersionPolicy,
} from './versions.js';

// --- store and limiter contracts ---
export {
  StoreUnavailableError,
  type ApiKeyPatch,
  type ApiKeyRecord,
  type KeyKind,
  type KeyStatus,
  type KeyStore,
  type ListKeysFilter,
  type ListWorkspacesFilter,
  type Page,
  type RateLimitPolicy,
  type SpendDebit,
  type SpendResult,
  type StoredKeyStatus,
  type WorkspacePatch,
  type WorkspaceRecord,
  type WorkspaceStatus,
} from './store/key-store.js';
export {
  LocalInvalidationBus,
  type InvalidationBus,
  type KeyInvalidation,
} from './store/invalidation-bus.js';
export {
  LimiterUnavailableError,
  type RateLimitDecision,
  type RateLimitRule,
  type RateLimiter,
  type SpendLedger,
} from './limits/rate-limiter.js';

// --- pipeline types ---
export type {
  AuthRequest,
  AuthResult,
  ClaudeAuth,
  Logger,
  RecordSpendResult,
  RequestHeaders,
  RouteRequirements,
} from './auth/types.js';

// --- outbound: headers, key resolution, error parsing, client (issue 2) ---

// --- config (issue 2) ---

// --- keys: format, hashing (issue 3) ---

// --- key manager and memory store (issue 3) ---

// --- pipeline: authenticator, cache, limiters, spend (issues 3, 4) ---
