import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type KeyInvalidation } from '@claude-auth/core';
import { RedisInvalidationBus, createRedisClient } from '@claude-auth/redis';
import { createRuntime } from '../src/create-runtime.js';
import { run } from '../src/run.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
let dir: string;
let storeUrl: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'claude-auth-runtime-'));
  storeUrl = `sqlite:${path.join(dir, 'keys.db')}`;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createRuntime', () => {
  it('without redisUrl: the store only, in the authenticator options with the config fields', async () => {
    const config = loadConfig({
      env: { CLAUDE_AUTH_STORE_URL: storeUrl },
      overrides: { cache: { ttlMs: 1234 } },
    });
    const runtime = await createRuntime(config);
    try {
      expect(runtime.rateLimiter).toBeUndefined();
      expect(runtime.spend).toBeUndefined();
      expect(runtime.invalidation).toBeUndefined();
      expect(runtime.authenticatorOptions.store).toBe(runtime.store);
      expect(runtime.authenticatorOptions.cache).toMatchObject({ ttlMs: 1234 });
      expect(runtime.authenticatorOptions.environment).toBe('live');
    } finally {
      await runtime.close();
    }
  });

  it('with redisUrl: Redis limiter, spend ledger over the store, and invalidation bus', async () => {
    const config = loadConfig({
      env: { CLAUDE_AUTH_STORE_URL: storeUrl, CLAUDE_AUTH_REDIS_URL: REDIS_URL },
    });
    const runtime = await createRuntime(config);
    try {
      expect(runtime.rateLimiter).toBeDefined();
      expect(runtime.spend).toBeDefined();
      expect(runtime.invalidation).toBeDefined();
      expect(runtime.authenticatorOptions).toMatchObject({
        store: runtime.store,
        rateLimiter: runtime.rateLimiter,
        spend: runtime.spend,
        invalidation: runtime.invalidation,
      });
      const decision = await runtime.rateLimiter!.consume(`cli-test:${Date.now()}`, {
        limit: 2,
        windowMs: 60_000,
      });
      expect(decision).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
    } finally {
      await runtime.close();
    }
  });

  it('a key revoked through the CLI is announced on the Redis invalidation bus', async () => {
    const client = createRedisClient(REDIS_URL);
    const bus = new RedisInvalidationBus({ client });
    const events: KeyInvalidation[] = [];
    bus.subscribe((event) => events.push(event));
    const io = (sink: string[]) => ({
      stdout: { write: (s: string) => sink.push(s) },
      stderr: { write: () => true },
      env: { CLAUDE_AUTH_STORE_URL: storeUrl, CLAUDE_AUTH_REDIS_URL: REDIS_URL },
      cwd: dir,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // let SUBSCRIBE complete
      const out: string[] = [];
      expect(await run(['keys', 'create', '--name', 'bus', '--json'], io(out))).toBe(0);
      const { key } = JSON.parse(out.join('')) as { key: { id: string } };
      expect(await run(['keys', 'revoke', key.id], io([]))).toBe(0);
      await expect.poll(() => events.map((e) => e.keyId), { timeout: 2000 }).toContain(key.id);
    } finally {
      await bus.close();
      await client.quit();
    }
  });
});
