// @claude-auth/core/store: what store and limiter implementers need. Re-exports only, by name.

// --- key store contract ---
export type {
  ApiKeyPatch,
  ApiKeyRecord,
  KeyKind,
  KeyStatus,
  KeyStore,
  ListKeysFilter,
  ListWorkspacesFilter,
  Page,
  RateLimitPolicy,
  RequestCountIncrement,
  SpendDebit,
  SpendDebitRef,
  SpendResult,
  StoredKeyStatus,
  VoidDebitResult,
  WorkspacePatch,
  WorkspaceRecord,
  WorkspaceStatus,
} from './key-store.js';

// --- errors every store throws ---
export {
  DuplicateRecordError,
  RecordNotFoundError,
  STORE_ERROR_CODES,
  StoreError,
  StoreUnavailableError,
  isStoreError,
  type StoreErrorReason,
} from './store-errors.js';

// --- shared input checks ---
export { assertPeriod, assertRequestCounts } from './request-counts.js';
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
} from './store-inputs.js';
export { KEY_ID_PATTERN, WORKSPACE_ID_PATTERN } from '../keys/ids.js';

// --- usage buckets (analytics) ---
export {
  MemoryUsageTable,
  assertUsageIncrements,
  assertUsageQuery,
  compareBuckets,
  usageBucketStart,
  type UsageBucket,
  type UsageIncrement,
  type UsageQuery,
} from './usage-buckets.js';

// --- invalidation bus ---
export {
  LocalInvalidationBus,
  type InvalidationBus,
  type KeyInvalidation,
} from './invalidation-bus.js';

// --- rate limiter and spend ledger contracts ---
export {
  LimiterUnavailableError,
  type RateLimitDecision,
  type RateLimitRule,
  type RateLimiter,
  type SpendLedger,
} from '../limits/rate-limiter.js';
export { validateRateLimitRule } from '../limits/validate-rule.js';
export {
  CircuitBreaker,
  CircuitOpenError,
  type CircuitBreakerOptions,
  type CircuitState,
} from '../limits/circuit-breaker.js';

// --- memory implementations (the reference) ---
export { MemoryKeyStore, type MemoryKeyStoreOptions } from './memory-key-store.js';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from '../limits/memory-rate-limiter.js';
export {
  FallbackRateLimiter,
  type FallbackRateLimiterOptions,
} from '../limits/fallback-rate-limiter.js';
