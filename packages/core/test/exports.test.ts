import * as root from '@claude-auth/core';
import * as store from '@claude-auth/core/store';
import { describe, expect, it } from 'vitest';
import { exportList } from '../../testing/src/export-list.js';

/** The bound on the root entry: what an application author has to scan. */
const MAX_ROOT_RUNTIME_EXPORTS = 80;

describe('public surface (update a snapshot only for an intended API change)', () => {
  it(`keeps the root entry at most ${MAX_ROOT_RUNTIME_EXPORTS} runtime names`, () => {
    expect(Object.keys(root).length).toBeLessThanOrEqual(MAX_ROOT_RUNTIME_EXPORTS);
  });

  it('exports exactly these runtime names from @claude-auth/core', () => {
    expect(exportList(root)).toMatchInlineSnapshot(`
      [
        "API_VERSIONS: object",
        "AUTH_CONDITIONS: object",
        "ApiConnectionError: class",
        "ApiError: class",
        "ApiTimeoutError: class",
        "AuthenticationError: class",
        "BillingError: class",
        "CLAUDE_ERROR_TYPES: array",
        "CLAUDE_TYPE_STATUS: object",
        "CONFIG_ENV_VARS: array",
        "ClaudeAuthError: class",
        "ConfigurationError: class",
        "DEFAULT_API_VERSION: string",
        "DEFAULT_CONFIG: object",
        "DEFAULT_KEY_RATE_LIMIT: object",
        "DEFAULT_PRICE_TABLE: object",
        "InvalidApiKeyError: class",
        "InvalidRequestError: class",
        "KEY_PATTERN: regexp",
        "KEY_REGEX: regexp",
        "KeyManager: class",
        "LOG_LEVELS: array",
        "LocalInvalidationBus: class",
        "MICROS_PER_USD: number",
        "MemoryKeyStore: class",
        "MemoryRateLimiter: class",
        "MissingApiKeyError: class",
        "NotFoundError: class",
        "OverloadedError: class",
        "PermissionDeniedError: class",
        "RATE_LIMIT_HEADERS: object",
        "RateLimitError: class",
        "RequestTooLargeError: class",
        "SENSITIVE_HEADERS: object",
        "SPEC_ERROR_TYPES: array",
        "StoreUnavailableError: class",
        "TrustProxy: class",
        "UsageBatcher: class",
        "VerificationCache: class",
        "buildHeaders: function",
        "checkPriceTable: function",
        "checkVersion: function",
        "costOf: function",
        "createAnthropicSdkClient: function",
        "createAuthError: function",
        "createAuthenticator: function",
        "createClaudeClient: function",
        "createClaudeProxy: function",
        "createClientErrorHandler: function",
        "createConsoleLogger: function",
        "createPricer: function",
        "deprecationHeaders: function",
        "errorResponse: function",
        "findModelPrice: function",
        "fromBodyError: function",
        "generateApiKey: function",
        "hashKey: function",
        "isClaudeAuthError: function",
        "isStoreError: function",
        "isVersionString: function",
        "keyHint: function",
        "keyStatus: function",
        "loadConfig: function",
        "mergeVersionRegistry: function",
        "microsToUsd: function",
        "newKeyId: function",
        "newWorkspaceId: function",
        "parseApiKey: function",
        "parseDuration: function",
        "parseErrorResponse: function",
        "redactHeaders: function",
        "resolveApiKey: function",
        "resolveAuthenticatorOptions: function",
        "spendPeriod: function",
        "toAuthRequest: function",
        "toAuthenticatorOptions: function",
        "toContractError: function",
        "toKeyView: function",
        "toLazyAuthRequest: function",
        "usdToMicros: function",
      ]
    `);
  });

  it('exports exactly these runtime names from @claude-auth/core/store', () => {
    expect(exportList(store)).toMatchInlineSnapshot(`
      [
        "CircuitBreaker: class",
        "CircuitOpenError: class",
        "DEBIT_ID_RETENTION_MS: number",
        "DEFAULT_PAGE_SIZE: number",
        "DuplicateRecordError: class",
        "FallbackRateLimiter: class",
        "KEY_ID_PATTERN: regexp",
        "LimiterUnavailableError: class",
        "LocalInvalidationBus: class",
        "MAX_PAGE_SIZE: number",
        "MemoryKeyStore: class",
        "MemoryRateLimiter: class",
        "MemoryUsageTable: class",
        "RecordNotFoundError: class",
        "STORE_ERROR_CODES: object",
        "StoreError: class",
        "StoreUnavailableError: class",
        "WORKSPACE_ID_PATTERN: regexp",
        "assertDebitRef: function",
        "assertPeriod: function",
        "assertRequestCounts: function",
        "assertSpendDebit: function",
        "assertUsageIncrements: function",
        "assertUsageQuery: function",
        "compareBuckets: function",
        "decodeCursor: function",
        "encodeCursor: function",
        "isStoreError: function",
        "pageLimit: function",
        "usageBucketStart: function",
        "validateRateLimitRule: function",
      ]
    `);
  });

  it('shares one class between the entries where both export it', () => {
    expect(store.MemoryKeyStore).toBe(root.MemoryKeyStore);
    expect(store.StoreUnavailableError).toBe(root.StoreUnavailableError);
    expect(store.isStoreError).toBe(root.isStoreError);
  });
});
