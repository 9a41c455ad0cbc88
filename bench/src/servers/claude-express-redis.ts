/**
 * Row `claude-express-redis`: as `claude-express`, with the key rate limit enforced by the Redis
 * limiter (`REDIS_URL`, default redis://127.0.0.1:6379) that `@claude-auth/runtime` builds from
 * the configuration, behind its circuit breaker: one Redis round trip per request.
 */
import { loadConfig } from '@claude-auth/core';
import { createRuntime } from '@claude-auth/runtime';
import { randomUUID } from 'node:crypto';
import { serveClaudeExpress } from './claude-express-app.js';
import { createBenchAuth } from './claude-setup.js';

const runtime = await createRuntime(
  loadConfig({
    env: {
      CLAUDE_AUTH_STORE_URL: 'memory:',
      CLAUDE_AUTH_REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      CLAUDE_AUTH_REDIS_PREFIX: `claude-auth-bench:${randomUUID()}:`,
    },
  }),
);
await serveClaudeExpress(
  await createBenchAuth({
    store: runtime.store,
    ...(runtime.rateLimiter && { rateLimiter: runtime.rateLimiter }),
  }),
  () => runtime.close(),
);
