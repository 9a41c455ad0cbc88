/** `/v1/organizations/api_keys`: list, retrieve, update (the Claude Admin API) and create, regenerate, delete. */
import {
  InvalidRequestError,
  type ApiKeyView,
  type Authenticator,
  type CreateKeyInput,
} from '@claude-auth/core';
import { getClaudeAuth } from '@claude-auth/express';
import { Router, type Request, type Response } from 'express';
import { toApiKeyObject } from './objects.js';
import { idPage } from './pagination.js';
import {
  bodyOf,
  onlyFields,
  optionalInstant,
  optionalRateLimit,
  optionalString,
  onlyParams,
  queryOf,
  single,
} from './params.js';

const MAX_GRACE_SECONDS = 30 * 86_400;
const STATUSES = ['active', 'inactive', 'archived', 'expired'] as const;

/** Responses that carry a secret must never be stored by a cache or a browser. */
function sendSecret(res: Response, status: number, key: ApiKeyView, secret: string): void {
  res.setHeader('cache-control', 'no-store');
  res.status(status).json({ ...toApiKeyObject(key), secret });
}

/** The calling admin key may not lock itself out; `refusal` is the whole sentence. */
function notSelf(req: Request, id: string, refusal: string): void {
  if (getClaudeAuth(req).keyId === id) {
    throw new InvalidRequestError(`${refusal}; use another admin key`);
  }
}

/** A workspace id from a body: it must name an active workspace (400 naming `field` otherwise). */
async function workspaceField(
  authenticator: Authenticator,
  value: unknown,
  field: string,
): Promise<string | null> {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InvalidRequestError(`${field} must be a string or null`);
  const workspace = await authenticator.keys.store.getWorkspace(value);
  if (workspace === null)
    throw new InvalidRequestError(`${field} does not name an existing workspace`);
  if (workspace.status !== 'active')
    throw new InvalidRequestError(`${field} names an archived workspace`);
  return value;
}

/**
 * The API-key routes of the admin API, relative to `/v1/organizations`. Secrets (create,
 * regenerate) are shown once, with `cache-control: no-store`.
 *
 * @example
 * ```ts
 * router.use(apiKeyRoutes(authenticator));
 * ```
 */
export function apiKeyRoutes(authenticator: Authenticator): Router {
  const keys = authenticator.keys;
  const router = Router();

  router.get('/api_keys', async (req, res) => {
    const query = queryOf(req);
    // created_by_user_id is refused, not ignored: the gateway has no users (keys are made by admin keys).
    onlyParams(query, ['after_id', 'before_id', 'limit', 'status', 'workspace_id']);
    const status = single(query, 'status');
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      throw new InvalidRequestError(`status must be one of ${STATUSES.join(', ')}`);
    }
    const workspaceId = single(query, 'workspace_id');
    await flushLastUsed(keys);
    const page = await idPage(query, {
      noun: 'API key',
      page: (after, limit) =>
        keys.listKeys({
          limit,
          ...(after === undefined ? {} : { after }),
          ...(status === undefined ? {} : { status: status as ApiKeyView['status'] }),
          ...(workspaceId === undefined || workspaceId === '' ? {} : { workspaceId }),
        }),
      find: (id) => keys.store.getKey(id),
    });
    res.json({ ...page, data: page.data.map(toApiKeyObject) });
  });

  router.post('/api_keys', async (req, res) => {
    const body = bodyOf(req);
    onlyFields(body, ['name', 'workspace_id', 'permissions', 'expires_at', 'rate_limit', 'kind']);
    if (body.name === undefined) throw new InvalidRequestError('name is required');
    const input: CreateKeyInput = {
      name: body.name as string,
      workspaceId: await workspaceField(authenticator, body.workspace_id, 'workspace_id'),
      createdBy: getClaudeAuth(req).keyId,
    };
    if (body.permissions !== undefined) input.permissions = body.permissions as string[];
    const expiresAt = optionalInstant(body, 'expires_at');
    if (expiresAt !== undefined) {
      if (expiresAt !== null && expiresAt.getTime() <= Date.now()) {
        throw new InvalidRequestError('expires_at must be in the future');
      }
      input.expiresAt = expiresAt;
    }
    const rateLimit = optionalRateLimit(body, 'rate_limit');
    if (rateLimit !== undefined) input.rateLimit = rateLimit;
    if (body.kind !== undefined) {
      if (body.kind !== 'api' && body.kind !== 'admin') {
        throw new InvalidRequestError('kind must be "api" or "admin"');
      }
      input.kind = body.kind;
    }
    const created = await keys.createKey(input);
    sendSecret(res, 201, created.key, created.secret);
  });

  router.get('/api_keys/:id', async (req, res) => {
    await flushLastUsed(keys);
    res.json(toApiKeyObject(await keys.getKey(String(req.params.id))));
  });

  router.post('/api_keys/:id', async (req, res) => {
    const id = String(req.params.id);
    const body = bodyOf(req);
    onlyFields(body, ['name', 'status', 'permissions', 'expires_at', 'rate_limit']);
    // Check every field before changing anything.
    const name = optionalString(body, 'name');
    const status = body.status ?? undefined;
    if (
      status !== undefined &&
      status !== 'active' &&
      status !== 'inactive' &&
      status !== 'archived'
    ) {
      throw new InvalidRequestError('status must be one of active, inactive, archived');
    }
    if (body.permissions !== undefined && !Array.isArray(body.permissions)) {
      throw new InvalidRequestError('permissions must be an array of strings');
    }
    const expiresAt = optionalInstant(body, 'expires_at');
    if (expiresAt !== undefined && expiresAt !== null && expiresAt.getTime() <= Date.now()) {
      throw new InvalidRequestError('expires_at must be in the future');
    }
    const rateLimit = optionalRateLimit(body, 'rate_limit');
    if (status !== undefined && status !== 'active')
      notSelf(req, id, `An admin key cannot set its own status to ${status}`);
    let key = await keys.getKey(id);
    const changes =
      [name, body.permissions, expiresAt, rateLimit].some((value) => value !== undefined) ||
      (status !== undefined && status !== 'archived');
    if (key.status === 'archived' && changes) {
      throw new InvalidRequestError('An archived key cannot be changed');
    }
    // Core validates permissions and names; permissions first, the likelier mistake.
    if (body.permissions !== undefined) {
      key = await keys.setKeyPermissions(id, body.permissions as string[]);
    }
    if (name !== undefined) key = await keys.renameKey(id, name);
    if (expiresAt !== undefined) key = await keys.setKeyExpiry(id, expiresAt);
    if (rateLimit !== undefined) key = await keys.setKeyRateLimit(id, rateLimit);
    if (status === 'archived') key = await keys.archiveKey(id);
    else if (status !== undefined) key = await keys.setKeyStatus(id, status);
    res.json(toApiKeyObject(key));
  });

  router.post('/api_keys/:id/regenerate', async (req, res) => {
    const body = bodyOf(req);
    onlyFields(body, ['grace_period_seconds']);
    const grace = body.grace_period_seconds ?? 0;
    if (
      typeof grace !== 'number' ||
      !Number.isInteger(grace) ||
      grace < 0 ||
      grace > MAX_GRACE_SECONDS
    ) {
      throw new InvalidRequestError(
        `grace_period_seconds must be an integer from 0 to ${MAX_GRACE_SECONDS} (30 days)`,
      );
    }
    const created = await keys.regenerateKey(String(req.params.id), { graceMs: grace * 1000 });
    sendSecret(res, 200, created.key, created.secret);
  });

  router.delete('/api_keys/:id', async (req, res) => {
    const id = String(req.params.id);
    notSelf(req, id, 'An admin key cannot delete itself');
    await keys.deleteKey(id);
    res.json({ id, type: 'api_key_deleted' });
  });

  return router;
}

/**
 * Writes this instance's pending `last_used_at` updates before keys are read, so a key used a
 * moment ago shows it (other instances write theirs within `usageFlushIntervalMs`). A failed
 * write stays pending and the read goes on; the read itself reports a store that is down.
 */
async function flushLastUsed(keys: Authenticator['keys']): Promise<void> {
  await keys.flushUsage().catch(() => undefined);
}
