/** `/v1/organizations/workspaces`: list, retrieve, create, update, archive (the Claude Admin API). */
import {
  InvalidRequestError,
  spendPeriod,
  type Authenticator,
  type WorkspaceRecord,
} from '@claude-auth/core';
import { Router } from 'express';
import { toWorkspaceObject, type WorkspaceObject } from './objects.js';
import { idPage } from './pagination.js';
import {
  bodyOf,
  onlyFields,
  optionalRateLimit,
  optionalString,
  optionalUsd,
  queryOf,
  readBoolean,
} from './params.js';

/**
 * The workspace routes of the admin API, relative to `/v1/organizations`. Each workspace carries
 * this UTC month's spend, read from the spend ledger: the counter the spend limit is enforced on.
 *
 * @example
 * ```ts
 * router.use(workspaceRoutes(authenticator));
 * ```
 */
export function workspaceRoutes(authenticator: Authenticator): Router {
  const keys = authenticator.keys;
  const ledger = authenticator.options.spend;
  const router = Router();

  const withSpend = async (workspace: WorkspaceRecord): Promise<WorkspaceObject> => {
    const period = spendPeriod(new Date());
    return toWorkspaceObject(workspace, period, await ledger.getSpend(workspace.id, period));
  };

  router.get('/workspaces', async (req, res) => {
    const query = queryOf(req);
    const includeArchived = readBoolean(query, 'include_archived', false);
    const page = await idPage(query, {
      noun: 'workspace',
      page: (after, limit) =>
        keys.listWorkspaces({ limit, includeArchived, ...(after === undefined ? {} : { after }) }),
      find: (id) => keys.store.getWorkspace(id),
    });
    res.json({ ...page, data: await Promise.all(page.data.map(withSpend)) });
  });

  router.post('/workspaces', async (req, res) => {
    const body = bodyOf(req);
    onlyFields(body, ['name', 'spend_limit_usd', 'rate_limit']);
    if (body.name === undefined) throw new InvalidRequestError('name is required');
    const spendLimit = optionalUsd(body, 'spend_limit_usd');
    const rateLimit = optionalRateLimit(body, 'rate_limit');
    const workspace = await keys.createWorkspace({
      name: body.name as string,
      monthlySpendLimitUsd: spendLimit ?? null,
      rateLimit: rateLimit ?? null,
    });
    res.status(201).json(await withSpend(workspace));
  });

  router.get('/workspaces/:id', async (req, res) => {
    res.json(await withSpend(await keys.getWorkspace(String(req.params.id))));
  });

  router.post('/workspaces/:id', async (req, res) => {
    const id = String(req.params.id);
    const body = bodyOf(req);
    onlyFields(body, ['name', 'spend_limit_usd', 'rate_limit']);
    const name = optionalString(body, 'name');
    const spendLimit = optionalUsd(body, 'spend_limit_usd');
    const rateLimit = optionalRateLimit(body, 'rate_limit');
    let workspace = await keys.getWorkspace(id);
    if (name !== undefined) workspace = await keys.renameWorkspace(id, name);
    if (spendLimit !== undefined) workspace = await keys.setWorkspaceSpendLimit(id, spendLimit);
    if (rateLimit !== undefined) workspace = await keys.setWorkspaceRateLimit(id, rateLimit);
    res.json(await withSpend(workspace));
  });

  router.post('/workspaces/:id/archive', async (req, res) => {
    res.json(await withSpend(await keys.archiveWorkspace(String(req.params.id))));
  });

  return router;
}
