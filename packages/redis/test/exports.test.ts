import * as api from '../src/index.js';
import { expect, it } from 'vitest';
import { exportList } from '../../testing/src/export-list.js';

it('exports exactly these runtime names (update the snapshot only for an intended API change)', () => {
  expect(exportList(api)).toMatchInlineSnapshot(`
    [
      "DEBIT_SCRIPT: string",
      "GCRA_SCRIPT: string",
      "RedisInvalidationBus: class",
      "RedisRateLimiter: class",
      "RedisSpendLedger: class",
      "SEED_SCRIPT: string",
      "UNDO_SCRIPT: string",
      "VOID_SCRIPT: string",
      "createRedisClient: function",
      "isRedisOutage: function",
      "toLimiterError: function",
      "toStoreError: function",
      "waitForRedis: function",
    ]
  `);
});
