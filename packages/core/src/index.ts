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
export { fromBodyError } from './errors/body-error.js';

// --- versions ---
export {
  API_VERSIONS,
  DEFAULT_API_VERSION,
  VERSION_STATUSES,
  acceptedVersions,
  checkVersion,
  deprecationHeaders,
  isApiVersion,
  isVersionString,
  mergeVersionRegistry,
  versionStatus,
  type ApiVersion,
  type ApiVersionInfo,
  type ApiVersionRegistry,
  type VersionCheck,
  type VersionPolicy,
  type VersionRegistryProblem,
  type VersionStatus,
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
  type RequestCountIncrement,
  type SpendDebit,
  type SpendDebitRef,
  type SpendResult,
  type VoidDebitResult,
  type StoredKeyStatus,
  type WorkspacePatch,
  type WorkspaceRecord,
  type WorkspaceStatus,
} from './store/key-store.js';
export { assertPeriod, assertRequestCounts } from './store/request-counts.js';
export {
  DEBIT_ID_RETENTION_MS,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  assertDebitRef,
  assertSpendDebit,
  decodeCursor,
  encodeCursor,
  pageLimit,
  type CursorPosition,
} from './store/store-inputs.js';
export {
  LocalInvalidationBus,
  type InvalidationBus,
  type KeyInvalidation,
} from './store/invalidation-bus.js';
export {
  CircuitBreaker,
  CircuitOpenError,
  type CircuitBreakerOptions,
  type CircuitState,
} from './limits/circuit-breaker.js';
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
export {
  REDACTED,
  SENSITIVE_HEADERS,
  buildHeaders,
  redactHeaders,
  type AuthScheme,
  type BuildHeadersOptions,
  type ClaudeRequestHeaders,
  type HeaderTuples,
  type HeaderValue,
} from './outbound/headers.js';
export {
  parseErrorResponse,
  parseRetryAfter,
  readHeader,
  type ErrorResponseInput,
  type ResponseHeadersInput,
} from './outbound/parse-error-response.js';
export {
  resolveApiKey,
  type ApiKeyOption,
  type ApiKeySource,
  type ResolveApiKeyOptions,
  type ResolvedApiKey,
} from './outbound/resolve-api-key.js';
export { ApiConnectionError, ApiTimeoutError } from './outbound/api-connection-error.js';
export {
  createClaudeClient,
  type ClaudeClient,
  type ClaudeClientOptions,
  type ClaudeMessage,
  type ClaudeRequestOptions,
  type MessageCreateParams,
} from './outbound/claude-client.js';

// --- proxy: forwarding to the Claude API, usage and prices (issue 10) ---
export {
  createClaudeProxy,
  type ClaudeProxy,
  type ClaudeProxyOptions,
  type ProxyCall,
  type ProxyUsage,
} from './proxy/claude-proxy.js';
export {
  DEFAULT_PRICE_TABLE,
  costOf,
  createPricer,
  findModelPrice,
  type ModelPrice,
  type PriceTable,
} from './proxy/price-table.js';
export { checkPriceTable, type PriceTableInput } from './proxy/price-table-config.js';
export {
  StreamUsageReader,
  usageFromJson,
  type MessageUsage,
  type ReplyUsage,
} from './proxy/message-usage.js';
export { callerResponseHeaders, upstreamRequestHeaders } from './proxy/proxy-headers.js';
export { UsageBatcher, type UsageBatcherOptions } from './proxy/usage-batcher.js';
export {
  MemoryUsageTable,
  assertUsageIncrements,
  assertUsageQuery,
  compareBuckets,
  usageBucketStart,
  type UsageBucket,
  type UsageIncrement,
  type UsageQuery,
} from './store/usage-buckets.js';

// --- config (issue 2) ---
export {
  DEFAULT_CONFIG,
  LOG_LEVELS,
  MAX_CACHE_TTL_MS,
  type ClaudeAuthConfig,
  type ClaudeAuthConfigInput,
  type LimiterErrorMode,
  type LogLevel,
} from './config/claude-auth-config.js';
export { CONFIG_ENV_VARS, loadConfig, type LoadConfigOptions } from './config/load-config.js';
export {
  toAuthenticatorOptions,
  type ConfigAuthenticatorOptions,
} from './config/to-authenticator-options.js';

// --- keys: format, hashing (issue 3) ---
export {
  DEFAULT_ENVIRONMENT,
  DEFAULT_ISSUER,
  KEY_CHECKSUM_LENGTH,
  KEY_MAX_LENGTH,
  KEY_MIN_LENGTH,
  KEY_PATTERN,
  KEY_RANDOM_LENGTH,
  KEY_REGEX,
  generateApiKey,
  keyHint,
  parseApiKey,
  type GenerateApiKeyOptions,
  type ParsedApiKey,
} from './keys/key-format.js';
export { hashKey, safeEqual } from './keys/hash.js';
export {
  ID_RANDOM_LENGTH,
  KEY_ID_PATTERN,
  WORKSPACE_ID_PATTERN,
  newKeyId,
  newWorkspaceId,
} from './keys/ids.js';
export { BASE62_ALPHABET, encodeBase62, randomBase62 } from './keys/base62.js';
export { crc32 } from './keys/crc32.js';

// --- key manager and memory store (issue 3) ---
export { MemoryKeyStore, type MemoryKeyStoreOptions } from './store/memory-key-store.js';
export {
  KeyManager,
  MAX_REGENERATE_GRACE_MS,
  type CreateKeyInput,
  type CreateWorkspaceInput,
  type CreatedKey,
  type KeyManagerOptions,
  type ListKeyViewsFilter,
  type WorkspaceUsage,
} from './manager/key-manager.js';
export { keyStatus, toKeyView, type ApiKeyView } from './manager/key-view.js';
export { MICROS_PER_USD, microsToUsd, spendPeriod, usdToMicros } from './manager/money.js';
export { parseDuration } from './manager/parse-duration.js';
export { UsageRecorder, type UsageRecorderOptions } from './manager/usage-recorder.js';
export {
  MAX_NAME_LENGTH,
  MAX_PERMISSIONS,
  PERMISSION_PATTERN,
  validatePermissions,
  validateRateLimit,
} from './manager/validation.js';

// --- pipeline: authenticator, cache, limiters, spend (issues 3, 4) ---
export {
  DEPRECATION_HEADER_VALUE,
  createAuthenticator,
  type Authenticator,
} from './auth/authenticator.js';
export {
  DEFAULT_KEY_RATE_LIMIT,
  resolveAuthenticatorOptions,
  type AuthenticatorOptions,
  type ResolvedAuthenticatorOptions,
} from './auth/authenticator-options.js';
export { hasBody, isJsonContentType } from './auth/content-type.js';
export {
  CREDENTIAL_CARRIERS,
  CREDENTIALS_EXPECTED,
  missingCredentialMessage,
  parseCredentialCarriers,
  readCredential,
  type CredentialCarrier,
  type CredentialRefusal,
} from './auth/credential.js';
export {
  errorHeaders,
  errorResponse,
  isUnavailableError,
  toContractError,
  type ErrorResponse,
} from './auth/error-response.js';
export { FailedAuthLimiter, type FailedAuthLimiterOptions } from './auth/failed-auth-limiter.js';
export { QUERY_KEY_PARAMS, hasKeyInQuery } from './auth/query-key.js';
export {
  RATE_LIMIT_HEADERS,
  formatResetTime,
  rateLimitHeaders,
  retryAfterSeconds,
} from './auth/rate-limit-headers.js';
export { newRequestId } from './auth/request-id.js';
export { toAuthRequest, toLazyAuthRequest, type RequestLike } from './auth/to-auth-request.js';
export { createClientErrorHandler, type ClientErrorHandlerOptions } from './auth/client-error.js';
export {
  TrustProxy,
  type NormalizedTrustProxy,
  type TrustProxySetting,
} from './auth/trust-proxy.js';
export {
  VerificationCache,
  type VerificationCacheOptions,
  type VerificationCacheStats,
} from './auth/verification-cache.js';
export {
  FallbackRateLimiter,
  type FallbackRateLimiterOptions,
} from './limits/fallback-rate-limiter.js';
export { validateRateLimitRule } from './limits/validate-rule.js';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './limits/memory-rate-limiter.js';

// --- logging ---
export { createConsoleLogger, type LogSink } from './logger/console-logger.js';
