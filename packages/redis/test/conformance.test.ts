import { describe, it } from 'vitest';
import { runRateLimiterConformance } from '../../testing/src/rate-limiter-conformance.js';
import { createRedisClient, RedisRateLimiter, waitForRedis } from '../src/index.js';
import { deletePrefix, randomPrefix, REDIS_AVAILABLE, REDIS_URL } from './redis-test-helpers.js';

if (REDIS_AVAILABLE) {
  runRateLimiterConformance('RedisRateLimiter', async () => {
    const client = createRedisClient(REDIS_URL, { commandTimeoutMs: 1000 });
    await waitForRedis(client);
    const prefix = randomPrefix('conformance');
    return {
      limiter: new RedisRateLimiter({ client, prefix }),
      cleanup: async () => {
        await deletePrefix(client, prefix);
        await client.quit();
      },
    };
  });
} else {
  describe('RateLimiter conformance: RedisRateLimiter', () => {
    it.skip('skipped: Redis does not answer at 127.0.0.1:6379 (CI starts it)', () => undefined);
  });
}
