/**
 * The gateway's admin API driven by the official SDK 1.x, unchanged: `organization.apiKeys`,
 * `organization.workspaces` and `beta.organization.analytics.usage` / `.cost`, with `baseURL` and
 * the gateway's admin key only. Keys are created with the SDK's own generic `post` (the Claude
 * API leaves key creation to its Console; the gateway serves it at the same path family).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@claude-auth/core';
import { startGateway, type RunningGateway } from '@claude-auth/gateway';
import Anthropic from 'anthropic-sdk-v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let gateway: RunningGateway;
let client: Anthropic;

/** A key made through the admin API, with its secret (shown once). */
interface CreatedKey extends Anthropic.Organization.APIKey {
  secret: string;
  workspace_id: string | null;
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pages) items.push(item);
  return items;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sdk-admin-api-'));
  const config = loadConfig({
    env: {
      CLAUDE_AUTH_STORE_URL: `sqlite:${path.join(dir, 'claude-auth.db')}`,
      CLAUDE_AUTH_LOG_LEVEL: 'error',
    },
  });
  gateway = await startGateway(config, {
    port: 0,
    env: {},
    print: () => undefined,
    mockStreamDelayMs: 0,
  });
  client = new Anthropic({ apiKey: gateway.adminKey!, baseURL: gateway.url, maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('admin API through @anthropic-ai/sdk 1.x', () => {
  let workspaceId: string;
  const keys: CreatedKey[] = [];

  it('organization.workspaces: create, retrieve, update, list (auto-paging), archive', async () => {
    const created = await client.organization.workspaces.create({ name: 'Research' });
    expect(created).toMatchObject({ type: 'workspace', name: 'Research', archived_at: null });
    workspaceId = created.id;
    const other = await client.organization.workspaces.create({ name: 'Temporary' });

    expect((await client.organization.workspaces.retrieve(workspaceId)).name).toBe('Research');
    const updated = await client.organization.workspaces.update(workspaceId, {
      name: 'Research & Dev',
    });
    expect(updated.name).toBe('Research & Dev');

    const listed = await collect(client.organization.workspaces.list({ limit: 1 }));
    expect(listed.map((w) => w.id)).toEqual([other.id, workspaceId]);

    const archived = await client.organization.workspaces.archive(other.id);
    expect(archived.archived_at).toEqual(expect.any(String));
    expect((await collect(client.organization.workspaces.list())).map((w) => w.id)).toEqual([
      workspaceId,
    ]);
    const all = await collect(client.organization.workspaces.list({ include_archived: true }));
    expect(all).toHaveLength(2);
  });

  it('organization.apiKeys: list with limit/after_id/before_id/status/workspace_id, retrieve, update', async () => {
    for (const name of ['one', 'two', 'three']) {
      keys.push(
        await client.post<CreatedKey>('/v1/organizations/api_keys', {
          body: { name, workspace_id: workspaceId },
        }),
      );
    }
    const ids = keys.map((k) => k.id).reverse(); // newest first
    const page = await client.organization.apiKeys.list({ workspace_id: workspaceId, limit: 2 });
    expect(page.data.map((k) => k.id)).toEqual(ids.slice(0, 2));
    expect(page.has_more).toBe(true);
    expect(page.hasNextPage()).toBe(true);
    expect((await page.getNextPage()).data.map((k) => k.id)).toEqual(ids.slice(2));
    const everything = await collect(
      client.organization.apiKeys.list({ workspace_id: workspaceId, limit: 1 }),
    );
    expect(everything.map((k) => k.id)).toEqual(ids);
    const before = await client.organization.apiKeys.list({
      workspace_id: workspaceId,
      before_id: ids[2]!,
      limit: 1,
    });
    expect(before.data.map((k) => k.id)).toEqual([ids[1]]);
    expect((await before.getNextPage()).data.map((k) => k.id)).toEqual([ids[0]]);

    const key = await client.organization.apiKeys.retrieve(keys[0]!.id);
    expect(key).toMatchObject({
      id: keys[0]!.id,
      type: 'api_key',
      name: 'one',
      status: 'active',
      scope: { type: 'workspace', workspace_id: workspaceId },
    });
    expect(key.partial_key_hint).toBe(keys[0]!.partial_key_hint);
    expect(JSON.stringify(key)).not.toContain(keys[0]!.secret);

    const updated = await client.organization.apiKeys.update(keys[0]!.id, {
      name: 'first',
      status: 'inactive',
    });
    expect(updated).toMatchObject({ name: 'first', status: 'inactive' });
    const inactive = await collect(
      client.organization.apiKeys.list({ status: 'inactive', workspace_id: workspaceId }),
    );
    expect(inactive.map((k) => k.id)).toEqual([keys[0]!.id]);
    await client.organization.apiKeys.update(keys[0]!.id, { status: 'active' });
  });

  it('maps refusals to the SDK error classes: 403 for a normal key, 404, 400', async () => {
    const normal = new Anthropic({ apiKey: keys[1]!.secret, baseURL: gateway.url, maxRetries: 0 });
    await expect(normal.organization.apiKeys.list()).rejects.toBeInstanceOf(
      Anthropic.PermissionDeniedError,
    );
    await expect(normal.organization.workspaces.create({ name: 'x' })).rejects.toMatchObject({
      status: 403,
    });
    await expect(client.organization.apiKeys.retrieve('key_nope')).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
    const bad = client.organization.apiKeys.update(keys[1]!.id, {
      status: 'paused' as 'active',
    });
    await expect(bad).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    await expect(bad).rejects.toMatchObject({ message: expect.stringContaining('status') });
  });

  it('beta.organization.analytics: usage by key matches the replies; cost matches usage x price', async () => {
    const startingAt = new Date(Date.now() - 3_600_000).toISOString();
    // Without a time bucket a report covers whole hours before ending_at: end with this hour.
    const endingAt = new Date(Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000).toISOString();
    const caller = new Anthropic({ apiKey: keys[1]!.secret, baseURL: gateway.url, maxRetries: 0 });
    const replies = [];
    for (const text of ['Hello, Claude', 'How are you today?']) {
      replies.push(
        await caller.messages.create({
          model: 'claude-sonnet-5-5',
          max_tokens: 64,
          messages: [{ role: 'user', content: text }],
        }),
      );
    }
    const input = replies.reduce((sum, r) => sum + r.usage.input_tokens, 0);
    const output = replies.reduce((sum, r) => sum + r.usage.output_tokens, 0);

    const usage = await collect(
      client.beta.organization.analytics.usage.list({
        starting_at: startingAt,
        ending_at: endingAt,
        group_by: ['api_key_id', 'model'],
        api_key_ids: [keys[1]!.id],
        limit: 1,
      }),
    );
    expect(usage).toHaveLength(1);
    expect(usage[0]!.group).toMatchObject({ api_key_id: keys[1]!.id, model: 'claude-sonnet-5-5' });
    expect(usage[0]!.usage).toMatchObject({
      uncached_input_tokens: input,
      output_tokens: output,
      cache_read_input_tokens: 0,
      total_tokens: input + output,
      requests: 2,
    });

    const cost = await collect(
      client.beta.organization.analytics.cost.list({
        starting_at: startingAt,
        ending_at: endingAt,
        group_by: ['workspace_id'],
        workspace_ids: [workspaceId],
      }),
    );
    expect(cost).toHaveLength(1);
    // A model the price table does not list: the default price, $3 / $15 per million tokens; in cents.
    const cents = (input * 3 + output * 15) / 10_000;
    expect(Number(cost[0]!.cost.amount)).toBeCloseTo(cents, 9);
    expect(cost[0]!.cost).toMatchObject({ currency: 'USD', requests: 2 });

    // Paging through the SDK's `page` / `next_page` cursor.
    const perKey = await collect(
      client.beta.organization.analytics.usage.list({
        starting_at: startingAt,
        ending_at: endingAt,
        group_by: ['api_key_id'],
        limit: 1,
      }),
    );
    expect(perKey.map((row) => row.group.api_key_id)).toEqual([keys[1]!.id]);
  });
});
