export { createRedisClient, waitForRedis, type RedisClientOptions } from './create-redis-client.js';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';
export { RedisSpendLedger, type RedisSpendLedgerOptions } from './redis-spend-ledger.js';
export {
  RedisInvalidationBus,
  type RedisInvalidationBusOptions,
} from './redis-invalidation-bus.js';
export { GCRA_SCRIPT } from './gcra-script.js';
export { DEBIT_SCRIPT, SEED_SCRIPT, UNDO_SCRIPT, VOID_SCRIPT } from './spend-scripts.js';
export { isRedisOutage, type RedisBreakerOptions } from './redis-breaker.js';
export { toLimiterError, toStoreError } from './redis-errors.js';
