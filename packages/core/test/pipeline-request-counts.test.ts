import {
  MemoryKeyStore,
  createAuthenticator,
  type AuthRequest,
  type Authenticator,
  type RouteRequirements,
} from '@claude-auth/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const START = Date.UTC(2025, 5, 30, 23, 59, 0);

const open: Authenticator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

async function setup() {
  let t = START;
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const store = new MemoryKeyStore({ now: () => new Date(t) });
  const auth = createAuthenticator({
    store,
    now: clock.now,
    rateLimit: { key: false, workspace: false },
  });
  open.push(auth);
  const keys = auth.keys;
  const alpha = await keys.createWorkspace({ name: 'Alpha' });
  const beta = await keys.createWorkspace({ name: 'Beta' });
  const org = await keys.createKey({ name: 'org' });
  const wsKey = await keys.createKey({ name: 'alpha key', workspaceId: alpha.id });
  const add = vi.spyOn(store, 'addRequestCounts');
  const requests = async (workspaceId: string, at?: Date) =>
    (await keys.getWorkspaceUsage(workspaceId, at)).requests;
  return {
    auth,
    keys,
    store,
    clock,
    alpha,
    beta,
    org: org.secret,
    ws: wsKey.secret,
    add,
    requests,
  };
}

function request(secret: string, workspaceId?: string): AuthRequest {
  const headers: AuthRequest['headers'] = {
    'anthropic-version': '2023-06-01',
    'x-api-key': secret,
  };
  if (workspaceId !== undefined) headers['anthropic-workspace-id'] = workspaceId;
  return { method: 'GET', url: '/v1/models', headers, ip: '203.0.113.7' };
}

async function succeed(auth: Authenticator, req: AuthRequest, requirements?: RouteRequirements) {
  const result = await auth.authenticate(req, requirements);
  if (!result.ok) throw new Error(`expected success, got ${result.error.status}`);
  return result;
}

describe('request counting in the pipeline', () => {
  it.each([
    ['workspace key, no header: its own workspace', 'ws', undefined, undefined, 'alpha'],
    ['org key with anthropic-workspace-id', 'org', 'beta', undefined, 'beta'],
    ['org key, route workspace', 'org', undefined, 'beta', 'beta'],
    ['org key acting in no workspace', 'org', undefined, undefined, null],
  ] as const)('counts the target workspace: %s', async (_label, who, header, route, counted) => {
    const f = await setup();
    const req = request(f[who], header === undefined ? undefined : f[header].id);
    await succeed(f.auth, req, route === undefined ? undefined : { workspace: f[route].id });
    expect(await f.requests(f.alpha.id)).toBe(counted === 'alpha' ? 1 : 0);
    expect(await f.requests(f.beta.id)).toBe(counted === 'beta' ? 1 : 0);
  });

  it('does not count rejected requests', async () => {
    const f = await setup();
    const denied = await f.auth.authenticate(request(f.ws, f.beta.id));
    expect(denied.ok).toBe(false);
    await f.keys.archiveWorkspace(f.beta.id);
    expect((await f.auth.authenticate(request(f.org, f.beta.id))).ok).toBe(false);
    await f.keys.flushUsage();
    expect(await f.requests(f.alpha.id)).toBe(0);
    expect(await f.requests(f.beta.id)).toBe(0);
  });

  it('makes no store write per request: one batch per flush, added across UTC months', async () => {
    const f = await setup();
    for (let i = 0; i < 50; i++) await succeed(f.auth, request(f.ws));
    f.clock.advance(60_000); // into July
    for (let i = 0; i < 3; i++) await succeed(f.auth, request(f.ws));
    expect(f.add).not.toHaveBeenCalled();
    expect(await f.requests(f.alpha.id, new Date(START))).toBe(50);
    await f.keys.flushUsage();
    expect(f.add).toHaveBeenCalledTimes(1);
    expect(await f.store.getRequestCount(f.alpha.id, '2025-06')).toBe(50);
    expect(await f.store.getRequestCount(f.alpha.id, '2025-07')).toBe(3);
    expect(await f.requests(f.alpha.id)).toBe(3);
  });

  it('authorize moves the count to the workspace a route re-targets to', async () => {
    const f = await setup();
    const viaHeader = await succeed(f.auth, request(f.org, f.alpha.id));
    const moved = await f.auth.authorize(viaHeader.auth, request(f.org, f.alpha.id), {
      workspace: f.beta.id,
    });
    expect(moved.ok && moved.auth.workspaceId).toBe(f.beta.id);
    const noWorkspace = await succeed(f.auth, request(f.org));
    expect(
      (await f.auth.authorize(noWorkspace.auth, request(f.org), { workspace: f.beta.id })).ok,
    ).toBe(true);
    // Same workspace: nothing moves.
    const own = await succeed(f.auth, request(f.ws));
    expect((await f.auth.authorize(own.auth, request(f.ws), { workspace: f.alpha.id })).ok).toBe(
      true,
    );
    expect(await f.requests(f.alpha.id)).toBe(1);
    expect(await f.requests(f.beta.id)).toBe(2);
  });

  it('writes the counts when the authenticator closes', async () => {
    const f = await setup();
    await succeed(f.auth, request(f.ws));
    await f.auth.close();
    expect(await f.store.getRequestCount(f.alpha.id, '2025-06')).toBe(1);
  });
});
