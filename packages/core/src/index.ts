// @claude-auth/core public API: what application authors use. Re-exports only, by name.
// Store and limiter implementers: `@claude-auth/core/store`.

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
  checkVersion,
  isVersionString,
  deprecationHeaders,
  mergeVersionRegistry,
  type ApiVersion,
  type ApiVersionInfo,
  type ApiVersionRegistry,
  type VersionCheck,
  type VersionPolicy,
  type VersionRegistryProblem,
  type VersionStatus,
} from './versions.js';

// --- stores, limiters, buses: the types an application wires (implementers: `./store`) ---
export type {
  ApiKeyRecord,
  KeyKind,
  KeyStatus,
  KeyStore,
  RateLimitPolicy,
  WorkspaceRecord,
  WorkspaceStatus,
} from './store/key-store.js';
export {
  StoreUnavailableError,
  isStoreError,
  type StoreErrorReason,
} from './store/store-errors.js';
export {
  LocalInvalidationBus,
  type InvalidationBus,
  type KeyInvalidation,
} from './store/invalidation-bus.js';
export type { RateLimitRule, RateLimiter, SpendLedger } from './limits/rate-limiter.js';
export { MemoryKeyStore, type MemoryKeyStoreOptions } from './store/memory-key-store.js';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './limits/memory-rate-limiter.js';

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

// --- outbound: headers, key resolution, error parsing, client ---
export {
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
  createAnthropicSdkClient,
  type AnthropicClientClass,
  type OutboundOptions,
} from './outbound/anthropic-sdk-client.js';
export {
  createClaudeClient,
  type ClaudeClient,
  type ClaudeClientOptions,
  type ClaudeMessage,
  type ClaudeRequestOptions,
  type MessageCreateParams,
} from './outbound/claude-client.js';

// --- proxy: forwarding to the Claude API, usage and prices ---
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
export type { MessageUsage, ReplyUsage } from './proxy/message-usage.js';
export { UsageBatcher, type UsageBatcherOptions } from './proxy/usage-batcher.js';
export type { UsageBucket, UsageIncrement, UsageQuery } from './store/usage-buckets.js';

// --- config ---
export {
  DEFAULT_CONFIG,
  LOG_LEVELS,
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

// --- keys: format, hashing, ids ---
export {
  KEY_PATTERN,
  KEY_REGEX,
  generateApiKey,
  keyHint,
  parseApiKey,
  type GenerateApiKeyOptions,
  type ParsedApiKey,
} from './keys/key-format.js';
export { hashKey } from './keys/hash.js';
export { newKeyId, newWorkspaceId } from './keys/ids.js';

// --- key manager ---
export {
  KeyManager,
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

// --- pipeline: authenticator, requests, responses ---
export { createAuthenticator, type Authenticator } from './auth/authenticator.js';
export {
  DEFAULT_KEY_RATE_LIMIT,
  resolveAuthenticatorOptions,
  type AuthenticatorOptions,
  type ResolvedAuthenticatorOptions,
} from './auth/authenticator-options.js';
export { errorResponse, toContractError, type ErrorResponse } from './auth/error-response.js';
export { RATE_LIMIT_HEADERS } from './auth/rate-limit-headers.js';
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

// --- logging ---
export { createConsoleLogger, type LogSink } from './logger/console-logger.js';
