import { InvalidRequestError, KeyManager, StoreUnavailableError } from '@claude-auth/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresKeyStore } from '../src/index.js';
import { MIGRATIONS } from '../src/migrations.js';
import { dropSchema, PG_AVAILABLE, PG_URL, randomSchema } from './pg-test-helpers.js';

describe.skipIf(!PG_AVAILABLE)('PostgresKeyStore request counts', () => {
  const schema = randomSchema();
  const schemas = [schema];
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
    for (const s of schemas) await dropSchema(s);
  });

  it('stores counts as bigint beyond 32 bits and collapses duplicates within one batch', async () => {
    await store.addRequestCounts([
      { workspaceId: 'wrkspc_big', period: '2025-01', requests: 2 ** 40 },
      { workspaceId: 'wrkspc_big', period: '2025-01', requests: 5 },
      { workspaceId: 'wrkspc_big', period: '2025-02', requests: 1 },
    ]);
    expect(await store.getRequestCount('wrkspc_big', '2025-01')).toBe(2 ** 40 + 5);
    expect(await store.getRequestCount('wrkspc_big', '2025-02')).toBe(1);
  });

  it.each([
    ['zero requests', { requests: 0 }],
    ['a fractional count', { requests: 2.5 }],
    ['a malformed period', { period: '2025-13' }],
    ['an empty workspace id', { workspaceId: '' }],
  ])(
    'rejects a batch with %s with InvalidRequestError, without a query',
    async (_label, fields) => {
      const entry = { workspaceId: 'wrkspc_invalid', period: '2025-01', requests: 1, ...fields };
      await expect(store.addRequestCounts([entry])).rejects.toBeInstanceOf(InvalidRequestError);
      await expect(store.getRequestCount('wrkspc_invalid', 'January')).rejects.toBeInstanceOf(
        InvalidRequestError,
      );
    },
  );

  it('adds concurrent batches from 4 instances (own pools) exactly, in any row order, without deadlock', async () => {
    const instances = await Promise.all(
      Array.from({ length: 4 }, () =>
        PostgresKeyStore.connect({ connectionString: PG_URL, schema, poolSize: 4 }),
      ),
    );
    const workspaces = Array.from({ length: 5 }, (_, i) => `wrkspc_race${i}`);
    try {
      await Promise.all(
        instances.flatMap((instance, n) =>
          Array.from({ length: 25 }, (_, b) => {
            const batch = workspaces.map((workspaceId) => ({
              workspaceId,
              period: '2025-06',
              requests: n + 1,
            }));
            // Every other batch locks the rows in the opposite order to the input.
            return instance.addRequestCounts(b % 2 === 0 ? batch : batch.reverse());
          }),
        ),
      );
      for (const workspaceId of workspaces) {
        expect(await store.getRequestCount(workspaceId, '2025-06')).toBe(25 * (1 + 2 + 3 + 4));
      }
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });

  it('maps a lock timeout to StoreUnavailableError; the KeyManager keeps the counts and adds them once later', async () => {
    const workspaceId = 'wrkspc_locked';
    const now = () => new Date('2025-07-04T10:00:00Z');
    const keys = new KeyManager({ store, now, usageFlushIntervalMs: 0 });
    await store.addRequestCounts([{ workspaceId, period: '2025-07', requests: 1 }]);
    for (let i = 0; i < 3; i++) keys.recordUsage('key_x', now(), workspaceId);
    const locker = new pg.Client({ connectionString: PG_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(
        `SELECT * FROM ${pg.escapeIdentifier(schema)}.request_counts WHERE workspace_id = $1 FOR UPDATE`,
        [workspaceId],
      );
      await expect(keys.flushUsage()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(await store.getRequestCount(workspaceId, '2025-07')).toBe(1);
    await keys.close();
    expect(await store.getRequestCount(workspaceId, '2025-07')).toBe(4);
  });

  it('migrates a version-1 schema to request counts, keeping its data', async () => {
    const old = randomSchema();
    schemas.push(old);
    const quoted = pg.escapeIdentifier(old);
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${quoted}`);
      await client.query(
        `CREATE TABLE ${quoted}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      for (const statement of MIGRATIONS[0]!.statements(quoted)) await client.query(statement);
      await client.query(`INSERT INTO ${quoted}.schema_migrations (version, name) VALUES (1, $1)`, [
        MIGRATIONS[0]!.name,
      ]);
      await client.query(
        `INSERT INTO ${quoted}.spend (workspace_id, period, total_micros) VALUES ('wrkspc_old', '2025-01', 42)`,
      );
    } finally {
      await client.end();
    }
    const upgraded = await PostgresKeyStore.connect({
      connectionString: PG_URL,
      schema: old,
      migrate: false,
    });
    try {
      expect(await upgraded.migrate()).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
      expect(await upgraded.getSpend('wrkspc_old', '2025-01')).toBe(42);
      await upgraded.addRequestCounts([
        { workspaceId: 'wrkspc_old', period: '2025-01', requests: 3 },
      ]);
      expect(await upgraded.getRequestCount('wrkspc_old', '2025-01')).toBe(3);
    } finally {
      await upgraded.close();
    }
  });
});
