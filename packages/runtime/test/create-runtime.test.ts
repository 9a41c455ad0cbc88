import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  KeyManager,
  loadConfig,
  newWorkspaceId,
  spendPeriod,
  type KeyInvalidation,
  type Logger,
} from '@claude-auth/core';
import { RedisInvalidationBus, createRedisClient } from '@claude-auth/redis';
import { createRuntime } from '../src/create-runtime.js';

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

  it("a key revoked through a key manager on the runtime's bus is announced on Redis", async () => {
    const client = createRedisClient(REDIS_URL);
    const bus = new RedisInvalidationBus({ client });
    const events: KeyInvalidation[] = [];
    bus.subscribe((event) => events.push(event));
    const config = loadConfig({
      env: { CLAUDE_AUTH_STORE_URL: storeUrl, CLAUDE_AUTH_REDIS_URL: REDIS_URL },
    });
    const runtime = await createRuntime(config);
    const keys = new KeyManager({
      store: runtime.store,
      invalidation: runtime.invalidation!,
      usageFlushIntervalMs: 0,
    });
    try {
      await bus.ready();
      const { key } = await keys.createKey({ name: 'bus' });
      await keys.archiveKey(key.id); // what `claude-auth keys revoke` does
      await expect.poll(() => events.map((e) => e.keyId), { timeout: 2000 }).toContain(key.id);
    } finally {
      await keys.close();
      await runtime.close();
      await bus.close();
      await client.quit();
    }
  });

  it('with redisPrefix: limiter keys, spend counters and the invalidation channel all use it', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}:`;
    const config = loadConfig({
      env: {
        CLAUDE_AUTH_STORE_URL: storeUrl,
        CLAUDE_AUTH_REDIS_URL: REDIS_URL,
        CLAUDE_AUTH_REDIS_PREFIX: prefix,
      },
    });
    const probe = createRedisClient(REDIS_URL);
    const foreign = new RedisInvalidationBus({ client: probe, channel: `${prefix}invalidate` });
    const defaultBus = new RedisInvalidationBus({ client: probe });
    const heard: string[] = [];
    const heardOnDefault: string[] = [];
    foreign.subscribe((event) => void (event.keyId && heard.push(event.keyId)));
    defaultBus.subscribe((event) => void (event.keyId && heardOnDefault.push(event.keyId)));
    const runtime = await createRuntime(config);
    try {
      await Promise.all([foreign.ready(), defaultBus.ready()]);
      await runtime.rateLimiter!.consume('k:prefixed', { limit: 5, windowMs: 60_000 });
      expect(await probe.keys(`${prefix}rl:k:prefixed*`)).toHaveLength(1);
      expect(await probe.keys('claude-auth:rl:k:prefixed*')).toHaveLength(0);

      const workspaceId = newWorkspaceId();
      await runtime.store.createWorkspace({
        id: workspaceId,
        name: 'prefix',
        status: 'active',
        createdAt: new Date(),
        archivedAt: null,
        monthlySpendLimitMicros: null,
        rateLimit: null,
      });
      const debit = {
        workspaceId,
        period: spendPeriod(new Date()),
        amountMicros: 5,
        limitMicros: 100,
      };
      expect(await runtime.spend!.debitSpend(debit)).toMatchObject({
        applied: true,
        totalMicros: 5,
      });
      expect(await probe.keys(`${prefix}spend:${workspaceId}*`)).not.toHaveLength(0);

      await runtime.invalidation!.publish({ keyId: 'key_prefixed' });
      await expect.poll(() => heard, { timeout: 2000 }).toContain('key_prefixed');
      expect(heardOnDefault).not.toContain('key_prefixed');
    } finally {
      await runtime.close();
      await foreign.close();
      await defaultBus.close();
      const leftovers = await probe.keys(`${prefix}*`);
      if (leftovers.length > 0) await probe.del(...leftovers);
      await probe.quit();
    }
  });

  it.each<[string, string[]]>([
    ['warn', ['warn']],
    ['error', []],
  ])(
    'logs at CLAUDE_AUTH_LOG_LEVEL=%s by default (Redis unreachable at start-up)',
    async (level, expected) => {
      const written: string[] = [];
      const sink = {
        debug: () => written.push('debug'),
        info: () => written.push('info'),
        warn: () => written.push('warn'),
        error: () => written.push('error'),
      };
      const original = { ...console };
      Object.assign(console, sink);
      const config = loadConfig({
        env: {
          CLAUDE_AUTH_STORE_URL: storeUrl,
          CLAUDE_AUTH_REDIS_URL: 'redis://127.0.0.1:1',
          CLAUDE_AUTH_LOG_LEVEL: level,
        },
      });
      try {
        const runtime = await createRuntime(config, { redisReadyTimeoutMs: 200 });
        try {
          expect(runtime.authenticatorOptions.logger).toBe(runtime.logger);
        } finally {
          await runtime.close();
        }
      } finally {
        Object.assign(console, original);
      }
      expect([...new Set(written)]).toEqual(expected);
    },
  );

  it('gives an injected logger to every piece and to the authenticator options', async () => {
    const warnings: string[] = [];
    const logger: Logger = { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
    const config = loadConfig({
      env: { CLAUDE_AUTH_STORE_URL: storeUrl, CLAUDE_AUTH_REDIS_URL: 'redis://127.0.0.1:1' },
    });
    const runtime = await createRuntime(config, { logger, redisReadyTimeoutMs: 200 });
    try {
      expect(runtime.logger).toBe(logger);
      expect(runtime.authenticatorOptions.logger).toBe(logger);
    } finally {
      await runtime.close();
    }
    expect(warnings).toContain(
      'claude-auth: Redis is not reachable yet; continuing without it for now',
    );
    expect(warnings.join('\n')).not.toContain('127.0.0.1:1');
  });
});
