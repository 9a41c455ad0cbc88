/** `/v1/organizations/workspaces`: list, retrieve, create, update, archive (the Claude Admin API). */
import {
  InvalidRequestError,
  spendPeriod,
  type Authenticator,
  type WorkspaceRecord,
} from '@claude-auth/core';
import { decodeCursor } from '@claude-auth/core/store';
import { Router } from 'express';
import { toWorkspaceObject, type WorkspaceObject } from './objects.js';
import { idPage, type Positioned } from './pagination.js';
import {
  bodyOf,
  list,
  onlyFields,
  optionalRateLimit,
  optionalString,
  optionalUsd,
  onlyParams,
  queryOf,
  readBoolean,
} from './params.js';

/**
 * The workspace routes of the admin API, relative to `/v1/organizations` (`ids[]`,
 * `include_archived`, id cursors on the list). Each workspace carries
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

  /** `ids[]`: those workspaces only (unknown ids match nothing), in the store's order. */
  const pageOfIds = async (
    ids: string[],
    includeArchived: boolean,
    after: string | undefined,
    limit: number,
  ): Promise<{ data: WorkspaceRecord[]; hasMore: boolean }> => {
    if (ids.length > 100) throw new InvalidRequestError('ids may name at most 100 workspaces');
    const found = await Promise.all([...new Set(ids)].map((id) => keys.store.getWorkspace(id)));
    const newestFirst = (a: Positioned, b: Positioned): number =>
      b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    let rows = found
      .filter((w): w is WorkspaceRecord => w !== null && (includeArchived || w.status === 'active'))
      .sort(newestFirst);
    if (after !== undefined) {
      const cursor = decodeCursor(after);
      rows = rows.filter((w) => newestFirst(cursor, w) < 0);
    }
    return { data: rows.slice(0, limit), hasMore: rows.length > limit };
  };

  const withSpend = async (workspace: WorkspaceRecord): Promise<WorkspaceObject> => {
    const period = spendPeriod(new Date());
    return toWorkspaceObject(workspace, period, await ledger.getSpend(workspace.id, period));
  };

  router.get('/workspaces', async (req, res) => {
    const query = queryOf(req);
    // include_default is refused, not ignored: the gateway has no default workspace to list.
    onlyParams(query, ['after_id', 'before_id', 'limit', 'include_archived', 'ids[]']);
    const includeArchived = readBoolean(query, 'include_archived', false);
    const ids = list(query, 'ids');
    const page = await idPage(query, {
      noun: 'workspace',
      page:
        ids.length === 0
          ? (after, limit) =>
              keys.listWorkspaces({
                limit,
                includeArchived,
                ...(after === undefined ? {} : { after }),
              })
          : (after, limit) => pageOfIds(ids, includeArchived, after, limit),
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
