export {
  expectStoreError,
  runKeyStoreConformance,
  sampleKeyRecord,
  sampleWorkspaceRecord,
  type KeyStoreFixture,
} from './key-store-conformance.js';
// --- adapter contract table (ADAPTERS helper) ---
export {
  CONTRACT_BODY_LIMIT_BYTES,
  CONTRACT_CASES,
  CONTRACT_ROUTES,
  CONTRACT_VARIANTS,
  CONTRACT_VOCABULARIES,
  DEFAULT_KEY_RPM,
  FAILED_AUTH_LIMIT,
  LIMITED_KEY_RPM,
  VERSION_REFUSAL_MESSAGE,
  expectedError,
  type ContractCase,
  type ContractExpectation,
  type ContractFixtures,
  type ContractRequest,
  type ContractRoute,
  type ContractRouteInput,
  type ContractVariant,
  type ExpectedHeader,
} from './contract-table.js';
export {
  runContractTable,
  sendContractRequest,
  type ContractResponse,
  type ContractServer,
  type ContractServerContext,
  type StartContractServer,
} from './contract-harness.js';
export {
  runSpendLedgerConformance,
  spendLedgerCases,
  type SpendLedgerFixture,
} from './spend-ledger-conformance.js';
export {
  runInvalidationBusConformance,
  type InvalidationBusFixture,
} from './invalidation-bus-conformance.js';
// --- rate limiter conformance (PIPELINE helper) ---
export { runRateLimiterConformance, type RateLimiterFixture } from './rate-limiter-conformance.js';
// --- export snapshots ---
export { exportList, type ExportKind } from './export-list.js';
// --- test servers ---
export { listenOnLoopback, type ListeningServer } from './listen.js';
export { startTcpProxy, type ProxyMode, type TcpProxy } from './tcp-proxy.js';
export { startStandInClaudeApi, type StandInClaudeApi } from './stand-in-claude-api.js';
// --- adapter error handlers ---
export {
  ERROR_HANDLER_CASES,
  ERROR_HANDLER_SECRET,
  runErrorHandlerCases,
  type ErrorHandlerCase,
  type ErrorHandlerResponse,
  type RespondWithError,
} from './error-handler-cases.js';
// --- adversarial suites (issue 13) ---
export {
  MATRIX_ROUTES,
  MATRIX_ROUTE_KINDS,
  MATRIX_SCOPES,
  expectedMatrixStatus,
  runAuthorizationMatrix,
  type MatrixRouteKind,
  type MatrixScope,
} from './authorization-matrix.js';
export { createSecretCapture, type SecretCapture } from './secret-hygiene.js';
export {
  FUZZ_ALLOWED_STATUSES,
  runHttpFuzz,
  sendRaw,
  type RawChunk,
  type RawResponse,
} from './http-fuzz.js';
export { runProxySuite, type BuildProxyApp } from './proxy-suite.js';
