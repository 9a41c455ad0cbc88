/**
 * Row `claude-express-redis`: as `claude-express`, with the key rate limit enforced by the Redis
 * limiter (`REDIS_URL`, default redis://127.0.0.1:6379): one Redis round trip per request.
 */
import { createRedisClient, RedisRateLimiter } from '@claude-auth/redis';
import { randomUUID } from 'node:crypto';
import { serveClaudeExpress } from './claude-express-app.js';
import { createBenchAuth } from './claude-setup.js';

const client = createRedisClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  commandTimeoutMs: 1000,
});
const rateLimiter = new RedisRateLimiter({ client, prefix: `claude-auth-bench:${randomUUID()}:` });
await serveClaudeExpress(await createBenchAuth({ rateLimiter }), () => client.disconnect());
