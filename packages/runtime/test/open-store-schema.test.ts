import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError, newWorkspaceId } from '@claude-auth/core';
import { PostgresKeyStore } from '@claude-auth/postgres';
import { openStore, parseStoreUrl } from '../src/open-store.js';

const SERVER = 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];

function randomSchema(): string {
  const name = `cli_schema_${randomBytes(5).toString('hex')}`;
  schemas.push(name);
  return name;
}

afterAll(async () => {
  const admin = await PostgresKeyStore.connect({ connectionString: SERVER, migrate: false });
  try {
    for (const name of schemas) await admin.pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await admin.close();
  }
});

describe('PostgreSQL store URL with ?schema=', () => {
  it.each([
    [
      'schema alone',
      'postgres://app@db:5432/main?schema=tenant_a',
      { connectionString: 'postgres://app@db:5432/main', schema: 'tenant_a' },
    ],
    [
      'schema among other parameters',
      'postgresql://app:pw@db/main?sslmode=require&schema=_auth2&application_name=x',
      {
        connectionString: 'postgresql://app:pw@db/main?sslmode=require&application_name=x',
        schema: '_auth2',
      },
    ],
    [
      'no schema: the URL is kept as written',
      'postgres://app@db/main?sslmode=require',
      { connectionString: 'postgres://app@db/main?sslmode=require' },
    ],
    ['no query', 'postgres://app@db/main', { connectionString: 'postgres://app@db/main' }],
  ])('parses %s', (_name, url, expected) => {
    expect(parseStoreUrl(url)).toStrictEqual({ kind: 'postgres', ...expected });
  });

  it.each([
    ['upper case', 'postgres://u:hunter2@db/main?schema=Tenant', '"Tenant"'],
    ['a quote', 'postgres://u:hunter2@db/main?schema=a%22b', '"a\\"b"'],
    ['a leading digit', 'postgres://u:hunter2@db/main?schema=1abc', '"1abc"'],
    ['empty', 'postgres://u:hunter2@db/main?schema=', '""'],
    ['too long', `postgres://u:hunter2@db/main?schema=${'a'.repeat(64)}`, `"${'a'.repeat(64)}"`],
    ['given twice', 'postgres://u:hunter2@db/main?schema=a&schema=b', 'several schema parameters'],
  ])('rejects a schema with %s, naming the rule but not the password', (_name, url, got) => {
    let error: unknown;
    try {
      parseStoreUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const { message } = error as ConfigurationError;
    expect(message).toContain('/^[a-z_][a-z0-9_]{0,62}$/');
    expect(message).toContain(`(got ${got})`);
    expect(message).not.toContain('hunter2');
  });

  it('keeps the tables of each schema apart and hands pg a URL without the parameter', async () => {
    const a = randomSchema();
    const b = randomSchema();
    const storeA = await openStore(`${SERVER}?schema=${a}`);
    const storeB = await openStore(`${SERVER}?schema=${b}&application_name=claude_auth_cli_test`);
    try {
      expect((storeA as PostgresKeyStore).schema).toBe(a);
      expect((storeB as PostgresKeyStore).schema).toBe(b);
      const id = newWorkspaceId();
      await storeA.createWorkspace({
        id,
        name: 'only in a',
        status: 'active',
        createdAt: new Date(),
        archivedAt: null,
        monthlySpendLimitMicros: null,
        rateLimit: null,
      });
      expect(await storeA.getWorkspace(id)).toMatchObject({ id, name: 'only in a' });
      expect(await storeB.getWorkspace(id)).toBeNull();
      const { rows } = await (storeB as PostgresKeyStore).pool.query<{ name: string }>(
        'SELECT current_setting($1) AS name',
        ['application_name'],
      );
      expect(rows[0]?.name).toBe('claude_auth_cli_test');
    } finally {
      await storeA.close?.();
      await storeB.close?.();
    }
  });
});
