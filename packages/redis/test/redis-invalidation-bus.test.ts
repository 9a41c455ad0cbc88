import {
  MemoryKeyStore,
  createAuthenticator,
  type AuthRequest,
  type KeyInvalidation,
} from '@claude-auth/core';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisClient, RedisInvalidationBus, waitForRedis } from '../src/index.js';
import { randomPrefix, REDIS_AVAILABLE, REDIS_URL } from './redis-test-helpers.js';

function nextEvent(bus: RedisInvalidationBus, timeoutMs: number): Promise<KeyInvalidation> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no invalidation within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const off = bus.subscribe((event) => {
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

describe.skipIf(!REDIS_AVAILABLE)('RedisInvalidationBus on real Redis', () => {
  const clients: Redis[] = [];
  const buses: RedisInvalidationBus[] = [];
  async function bus(channel: string): Promise<RedisInvalidationBus> {
    const client = createRedisClient(REDIS_URL, { commandTimeoutMs: 1000 });
    clients.push(client);
    await waitForRedis(client);
    const b = new RedisInvalidationBus({ client, channel });
    buses.push(b);
    await b.ready();
    return b;
  }
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  });

  it('reaches another connection within 1 s, and the publisher exactly once', async () => {
    const channel = randomPrefix('bus');
    const [a, b] = await Promise.all([bus(channel), bus(channel)]);
    const own: KeyInvalidation[] = [];
    a.subscribe((event) => own.push(event));
    const received = nextEvent(b, 1000);
    const started = performance.now();
    await a.publish({ keyId: 'key_revoked' });
    expect(await received).toEqual({ keyId: 'key_revoked' });
    const ms = performance.now() - started;
    console.info(`[redis] invalidation reached another connection in ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(own).toEqual([{ keyId: 'key_revoked' }]);
  });

  it('ignores malformed messages on the channel and keeps listening', async () => {
    const channel = randomPrefix('bus');
    const b = await bus(channel);
    const seen: KeyInvalidation[] = [];
    b.subscribe((event) => seen.push(event));
    const publisher = createRedisClient(REDIS_URL, { commandTimeoutMs: 1000 });
    clients.push(publisher);
    await waitForRedis(publisher);
    const good = nextEvent(b, 1000);
    for (const raw of ['not json', '{"keyId":42}', 'null', '{}'])
      await publisher.publish(channel, raw);
    await publisher.publish(channel, JSON.stringify({ keyId: 'key_ok' }));
    expect(await good).toEqual({ keyId: 'key_ok' });
    expect(seen).toEqual([{ keyId: 'key_ok' }]);
  });

  it('carries workspace invalidations: an archived workspace refuses org keys at once on another instance (issue 13, defect 5)', async () => {
    const channel = randomPrefix('bus');
    const [busA, busB] = await Promise.all([bus(channel), bus(channel)]);
    const store = new MemoryKeyStore(); // shared by both instances, like one PostgreSQL
    const logger = { warn: () => undefined, error: () => undefined };
    const a = createAuthenticator({ store, invalidation: busA, logger });
    const b = createAuthenticator({ store, invalidation: busB, logger });
    try {
      const workspace = await a.keys.createWorkspace({ name: 'no keys of its own' });
      const { secret } = await a.keys.createKey({ name: 'org-wide' });
      const request: AuthRequest = {
        method: 'GET',
        url: '/v1/models',
        headers: {
          'x-api-key': secret,
          'anthropic-version': '2023-06-01',
          'anthropic-workspace-id': workspace.id,
        },
      };
      // Instance B has the workspace cached as active (default TTL 5 s).
      expect((await b.authenticate(request)).ok).toBe(true);
      const received = nextEvent(busB, 1000);
      const started = performance.now();
      await a.keys.archiveWorkspace(workspace.id);
      expect(await received).toEqual({ workspaceId: workspace.id });
      const refused = await b.authenticate(request);
      const ms = performance.now() - started;
      console.info(
        `[redis] archived workspace refused on another instance after ${ms.toFixed(1)} ms`,
      );
      expect(refused.ok ? 200 : refused.error.status).toBe(403);
      expect(ms).toBeLessThan(1000);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('accepts workspace-only messages and refuses ones with neither id', async () => {
    const channel = randomPrefix('bus');
    const b = await bus(channel);
    const seen: KeyInvalidation[] = [];
    b.subscribe((event) => seen.push(event));
    const publisher = createRedisClient(REDIS_URL, { commandTimeoutMs: 1000 });
    clients.push(publisher);
    await waitForRedis(publisher);
    const good = nextEvent(b, 1000);
    for (const raw of ['{"workspaceId":""}', '{"origin":"x"}', '{"workspaceId":7}'])
      await publisher.publish(channel, raw);
    await publisher.publish(
      channel,
      JSON.stringify({ workspaceId: 'wrkspc_ok', extra: 'dropped' }),
    );
    expect(await good).toEqual({ workspaceId: 'wrkspc_ok' });
    expect(seen).toEqual([{ workspaceId: 'wrkspc_ok' }]);
  });
});
