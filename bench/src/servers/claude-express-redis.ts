/**
 * Row `claude-express-redis`: as `claude-express`, with the key rate limit enforced by the Redis
 * limiter (`REDIS_URL`, default redis://127.0.0.1:6379): one Redis round trip per request.
 */
import { claudeAuth, claudeAuthErrorHandler } from '@claude-auth/express';
import { createRedisClient, RedisRateLimiter } from '@claude-auth/redis';
import express from 'express';
import { randomUUID } from 'node:crypto';
import { createBenchAuth, withBenchDebug } from './claude-setup.js';
import { REPLY, serve } from './shared.js';

const client = createRedisClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  commandTimeoutMs: 1000,
});
const rateLimiter = new RedisRateLimiter({ client, prefix: `claude-auth-bench:${randomUUID()}:` });
const bench = await createBenchAuth({ rateLimiter });
const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.post(
  '/v1/messages',
  claudeAuth({ authenticator: bench.authenticator }),
  express.json(),
  (_req, res) => {
    res.json(REPLY);
  },
);
app.use(claudeAuthErrorHandler());

await serve(withBenchDebug(app, bench.lookups), {
  apiKey: bench.apiKey,
  close: async () => {
    await bench.authenticator.close();
    client.disconnect();
  },
});
