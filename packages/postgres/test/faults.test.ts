import net from 'node:net';
import { StoreUnavailableError } from '@claude-auth/core';
import { MIGRATIONS, PostgresKeyStore } from '../src/index.js';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, PG_AVAILABLE, PG_URL, randomSchema } from './pg-test-helpers.js';

const SECRET_PASSWORD = 'hunter2-do-not-leak';

async function failure(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

describe('PostgresKeyStore when PostgreSQL is unreachable', () => {
  it('rejects connect() with StoreUnavailableError quickly for a refused port, leaking no password', async () => {
    const { error, ms } = await failure(
      PostgresKeyStore.connect({
        connectionString: `postgres://postgres:${SECRET_PASSWORD}@127.0.0.1:1/test`,
        connectionTimeoutMs: 2000,
      }),
    );
    console.info(`[postgres] refused connection surfaced after ${ms.toFixed(0)} ms`);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(ms).toBeLessThan(2000);
    expect(String((error as Error).message)).not.toContain(SECRET_PASSWORD);
    expect(JSON.stringify(error)).not.toContain(SECRET_PASSWORD);
    expect((error as Error).message).toBe('PostgreSQL key store unavailable (ECONNREFUSED)');
  });

  it('rejects with StoreUnavailableError once the connection timeout passes on a server that never answers', async () => {
    const sockets = new Set<net.Socket>();
    const blackhole = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const { port } = blackhole.address() as net.AddressInfo;
    try {
      const { error, ms } = await failure(
        PostgresKeyStore.connect({
          connectionString: `postgres://postgres:${SECRET_PASSWORD}@127.0.0.1:${port}/test`,
          connectionTimeoutMs: 300,
        }),
      );
      console.info(`[postgres] silent server surfaced after ${ms.toFixed(0)} ms (timeout 300 ms)`);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(ms).toBeGreaterThanOrEqual(250);
      expect(ms).toBeLessThan(1500);
      expect((error as Error).message).not.toContain(SECRET_PASSWORD);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackhole.close(resolve));
    }
  });
});

describe.skipIf(!PG_AVAILABLE)('PostgresKeyStore migrations', () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  it('migrates safely when 4 instances connect at once', async () => {
    const schema = randomSchema();
    schemas.push(schema);
    const stores = await Promise.all(
      Array.from({ length: 4 }, () =>
        PostgresKeyStore.connect({ connectionString: PG_URL, schema, poolSize: 2 }),
      ),
    );
    try {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      const { rows } = await client.query<{ version: number }>(
        `SELECT version FROM ${pg.escapeIdentifier(schema)}.schema_migrations ORDER BY version`,
      );
      await client.end();
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      for (const store of stores) expect(await store.getSpend('wrkspc_x', '2025-01')).toBe(0);
      expect(await stores[0]!.migrate()).toEqual([]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('refuses calls after close() with StoreUnavailableError', async () => {
    const schema = randomSchema();
    schemas.push(schema);
    const store = await PostgresKeyStore.connect({ connectionString: PG_URL, schema });
    await store.close();
    await expect(store.getKey('key_x')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('rejects an unsafe schema name as a configuration error', () => {
    expect(() => new PostgresKeyStore(new pg.Pool(), { schema: 'x"; DROP TABLE y; --' })).toThrow(
      /schema must match/,
    );
  });
});
