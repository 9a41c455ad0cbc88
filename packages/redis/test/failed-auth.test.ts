import {
  MemoryKeyStore,
  createAuthenticator,
  generateApiKey,
  type AuthRequest,
  type AuthResult,
  type Authenticator,
  type Logger,
} from '@claude-auth/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisClient, RedisRateLimiter, waitForRedis } from '../src/index.js';
import {
  adminClient,
  deletePrefix,
  randomPrefix,
  REDIS_AVAILABLE,
  REDIS_URL,
} from './redis-test-helpers.js';

const ADDRESS = '203.0.113.7';

function request(secret: string, ip = ADDRESS): AuthRequest {
  return {
    method: 'GET',
    url: '/v1/models',
    headers: { 'anthropic-version': '2023-06-01', 'x-api-key': secret },
    ip,
  };
}

function status(result: AuthResult): number {
  return result.ok ? 200 : result.error.status;
}

type LogFn = (message: string, meta?: Record<string, unknown>) => void;

describe.skipIf(!REDIS_AVAILABLE)('failed attempts shared through RedisRateLimiter', () => {
  let admin: Redis;
  const clients: Redis[] = [];
  const auths: Authenticator[] = [];
  const prefixes: string[] = [];

  beforeAll(() => {
    admin = adminClient();
  });
  afterAll(async () => {
    await Promise.all(auths.map((a) => a.close()));
    for (const prefix of prefixes) await deletePrefix(admin, prefix);
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    await admin.quit();
  });

  /** Two authenticators ("instances"), each with its own Redis client, on one prefix and store. */
  async function twoInstances(maxPerMinute: number) {
    const prefix = randomPrefix('failed-auth');
    prefixes.push(prefix);
    const store = new MemoryKeyStore();
    const logger = { warn: vi.fn<LogFn>(), error: vi.fn<LogFn>() } satisfies Logger;
    const instances = await Promise.all(
      [0, 1].map(async () => {
        const client = createRedisClient(REDIS_URL, { commandTimeoutMs: 2000 });
        clients.push(client);
        await waitForRedis(client);
        const auth = createAuthenticator({
          store,
          logger,
          failedAuth: { maxPerMinute },
          rateLimiter: new RedisRateLimiter({ client, prefix }),
        });
        auths.push(auth);
        return auth;
      }),
    );
    const { secret } = await instances[0]!.keys.createKey({ name: 'valid' });
    async function send(i: number, key: string, ip = ADDRESS): Promise<AuthResult> {
      const auth = instances[i]!;
      const result = await auth.authenticate(request(key, ip));
      await auth.failedAuth?.flush();
      return result;
    }
    return { instances, secret, send, logger };
  }

  it('counts failures across instances: the limit holds in total, then both refuse', async () => {
    const max = 5;
    const d = await twoInstances(max);
    const statuses: number[] = [];
    for (let i = 0; i < 2 * max; i++) statuses.push(status(await d.send(i % 2, generateApiKey())));
    // `max` failures fit; each instance answers one more (the shared count's answer comes after
    // its 401) and then refuses: max + 2 401s in all, where two unshared instances allowed 2 × max.
    expect(statuses).toEqual([...Array<number>(max + 2).fill(401), 429, 429, 429]);

    for (const i of [0, 1]) {
      const refused = await d.send(i, generateApiKey());
      expect(status(refused)).toBe(429);
      // 60 s / 5 per failure, less the few ms the test has taken.
      const seconds = Number(refused.headers['retry-after']);
      expect(seconds).toBeGreaterThanOrEqual(11);
      expect(seconds).toBeLessThanOrEqual(12);
    }
    // A valid key from the throttled address is never refused for the address's failures.
    expect(status(await d.send(0, d.secret))).toBe(200);
    expect(status(await d.send(1, d.secret))).toBe(200);
    expect(status(await d.send(1, generateApiKey(), '198.51.100.1'))).toBe(401);
    expect(d.logger.warn).not.toHaveBeenCalled();
  });

  it('an instance that has seen no failure of a blocked address learns it from its first one', async () => {
    const d = await twoInstances(3);
    for (let i = 0; i < 3; i++) expect(status(await d.send(0, generateApiKey()))).toBe(401);
    expect(status(await d.send(0, generateApiKey()))).toBe(429);
    expect(status(await d.send(1, generateApiKey()))).toBe(401);
    expect(status(await d.send(1, generateApiKey()))).toBe(429);
    expect(status(await d.send(1, d.secret))).toBe(200);
  });
});
