/** The gateway's admin API under `/v1/organizations`: admin keys only. */
import type { Authenticator } from '@claude-auth/core';
import { claudeAuthErrorHandler, requireApiKey } from '@claude-auth/express';
import express, { Router } from 'express';
import { analyticsRoutes } from './analytics.js';
import { apiKeyRoutes } from './api-keys.js';
import { workspaceRoutes } from './workspaces.js';

/** Options of {@link adminApi}. */
export interface AdminApiOptions {
  authenticator: Authenticator;
  /** Writes pending usage before a report is read (the gateway's `UsageBatcher.flush`). */
  flushUsage?: () => Promise<void>;
}

/**
 * The admin API in the Claude Admin API's shapes (`api_keys`, `workspaces`, and the usage and
 * cost reports `analytics/usage`, `analytics/cost`), mounted at
 * `/v1/organizations` after `claudeAuth()`. Only admin keys pass (403 `access_denied` /
 * `permission_error` otherwise); mistakes are 400 `invalid_request_error` naming the field,
 * unknown ids 404 `not_found_error`, in the contract's JSON shape.
 *
 * @example
 * ```ts
 * app.use(claudeAuth({ authenticator }));
 * app.use('/v1/organizations', adminApi({ authenticator }));
 * ```
 */
export function adminApi(options: AdminApiOptions): Router {
  const router = Router();
  router.use(requireApiKey({ admin: true }));
  router.use(express.json({ limit: '64kb' }));
  router.use(apiKeyRoutes(options.authenticator));
  router.use(workspaceRoutes(options.authenticator));
  router.use(
    analyticsRoutes({
      store: options.authenticator.keys.store,
      ...(options.flushUsage === undefined ? {} : { flushUsage: options.flushUsage }),
    }),
  );
  // Errors answered here, where the route that failed is still known (metrics label it).
  router.use(claudeAuthErrorHandler({ authenticator: options.authenticator }));
  return router;
}
