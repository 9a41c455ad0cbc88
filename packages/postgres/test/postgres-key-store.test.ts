import { InvalidRequestError, StoreUnavailableError } from '@claude-auth/core';
import { PostgresKeyStore } from '../src/index.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, PG_AVAILABLE, PG_URL, randomSchema } from './pg-test-helpers.js';
import { keyRecord, workspaceRecord } from './records.js';

describe.skipIf(!PG_AVAILABLE)('PostgresKeyStore (PostgreSQL-specific behaviour)', () => {
  const schema = randomSchema();
  let store: PostgresKeyStore;

  beforeAll(async () => {
    store = await PostgresKeyStore.connect({
      connectionString: PG_URL,
      schema,
      statementTimeoutMs: 1000,
    });
  });
  afterAll(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  it('round-trips every field, with millisecond dates and JSON policies', async () => {
    const record = keyRecord({
      permissions: ['messages:write', 'models:read'],
      rateLimit: { rpm: 60, burst: 10 },
      expiresAt: new Date('2030-05-06T07:08:09.123Z'),
      lastUsedAt: new Date('2025-02-03T04:05:06.789Z'),
      workspaceId: 'wrkspc_abc',
      createdBy: 'user_1',
    });
    // A key must name an existing workspace (RecordNotFoundError otherwise, as in every store).
    await store.createWorkspace(workspaceRecord({ id: 'wrkspc_abc' }));
    await store.createKey(record);
    expect(await store.getKey(record.id)).toEqual(record);
    expect(await store.getKey('key_missing')).toBeNull();
  });

  it('stores spend as bigint beyond 32 bits and parses it back exactly', async () => {
    const workspaceId = 'wrkspc_big';
    const amount = 2 ** 40 + 7;
    const result = await store.debitSpend({
      workspaceId,
      period: '2025-01',
      amountMicros: amount,
      limitMicros: null,
    });
    expect(result).toEqual({ applied: true, totalMicros: amount });
    expect(await store.getSpend(workspaceId, '2025-01')).toBe(amount);
    const ws = workspaceRecord({ monthlySpendLimitMicros: 2 ** 45 });
    await store.createWorkspace(ws);
    expect((await store.getWorkspace(ws.id))?.monthlySpendLimitMicros).toBe(2 ** 45);
  });

  it('keeps schemas apart: the tables live in the configured schema only', async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      );
      expect(rows.map((r) => r.table_name)).toEqual([
        'api_keys',
        'request_counts',
        'schema_migrations',
        'spend',
        'spend_debits',
        'usage_buckets',
        'workspaces',
      ]);
    } finally {
      await client.end();
    }
  });

  it('collapses duplicate ids in one touchKeys batch to the latest time, never moving backwards', async () => {
    const record = keyRecord();
    await store.createKey(record);
    const t = (s: number) => new Date(Date.UTC(2025, 5, 1, 0, 0, s));
    await store.touchKeys([
      { id: record.id, lastUsedAt: t(30) },
      { id: record.id, lastUsedAt: t(10) },
      { id: 'key_unknown', lastUsedAt: t(5) },
    ]);
    expect((await store.getKey(record.id))?.lastUsedAt).toEqual(t(30));
    await store.touchKeys([{ id: record.id, lastUsedAt: t(20) }]);
    expect((await store.getKey(record.id))?.lastUsedAt).toEqual(t(30));
  });

  it('debits 200 concurrent requests atomically: total <= limit + one debit', async () => {
    const workspaceId = 'wrkspc_race';
    const limitMicros = 1_000_000;
    const amountMicros = 7_000;
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        store.debitSpend({ workspaceId, period: '2025-03', amountMicros, limitMicros }),
      ),
    );
    const applied = results.filter((r) => r.applied).length;
    const total = await store.getSpend(workspaceId, '2025-03');
    expect(total).toBe(applied * amountMicros);
    expect(total).toBeGreaterThanOrEqual(limitMicros);
    expect(total).toBeLessThanOrEqual(limitMicros + amountMicros);
    expect(applied).toBe(Math.ceil(limitMicros / amountMicros));
  });

  it.each([
    ['a zero amount', { amountMicros: 0, period: '2025-01' }],
    ['a fractional amount', { amountMicros: 1.5, period: '2025-01' }],
    ['a malformed period', { amountMicros: 1, period: '2025-13' }],
  ])('rejects %s with InvalidRequestError', async (_label, fields) => {
    await expect(
      store.debitSpend({ workspaceId: 'wrkspc_x', limitMicros: null, ...fields }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['an empty id', Buffer.from('2025-01-01T00:00:00.000Z|').toString('base64url')],
  ])('rejects a cursor that is %s', async (_label, after) => {
    await expect(store.listKeys({ after })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it.each([0, 1001, 2.5])('rejects page limit %s', async (limit) => {
    await expect(store.listWorkspaces({ limit })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('maps a statement timeout to StoreUnavailableError within the configured bound', async () => {
    const workspaceId = 'wrkspc_locked';
    await store.debitSpend({ workspaceId, period: '2025-04', amountMicros: 1, limitMicros: null });
    const locker = new pg.Client({ connectionString: PG_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(
        `SELECT * FROM ${pg.escapeIdentifier(schema)}.spend WHERE workspace_id = $1 FOR UPDATE`,
        [workspaceId],
      );
      const started = performance.now();
      const error = await store
        .debitSpend({ workspaceId, period: '2025-04', amountMicros: 1, limitMicros: null })
        .catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      console.info(`[postgres] statement timeout surfaced after ${elapsed.toFixed(0)} ms`);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toBe('PostgreSQL key store unavailable (statement timeout)');
      expect(elapsed).toBeLessThan(2500);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(await store.getSpend(workspaceId, '2025-04')).toBe(1);
  });
});
