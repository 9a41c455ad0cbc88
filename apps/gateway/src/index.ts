// The gateway as a library (tests, benches, sdk-conformance). Re-exports only, by name.
export { createGatewayApp, type GatewayApp, type GatewayAppOptions } from './app.js';
export { startGateway, type RunningGateway, type StartGatewayOptions } from './server.js';
export {
  MOCK_MODELS,
  MOCK_UPSTREAM_KEY,
  mockUsage,
  startMockUpstream,
  type MockUpstream,
  type MockUpstreamOptions,
  type MockUsage,
} from './mock-upstream.js';
export {
  checkReadiness,
  type CheckResult,
  type Readiness,
  type ReadinessProbes,
} from './readiness.js';
export { createJsonLogger, redact } from './json-logger.js';
export { adminApi, type AdminApiOptions } from './admin/admin-api.js';
export type { ApiKeyObject, WorkspaceObject } from './admin/objects.js';
export {
  createGatewayMetrics,
  metricsModeFrom,
  routeLabel,
  type GatewayMetrics,
  type MetricsMode,
} from './metrics.js';
