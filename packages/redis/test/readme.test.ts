import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { adminClient, deletePrefix, REDIS_AVAILABLE } from './redis-test-helpers.js';

const readme = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

describe.skipIf(!REDIS_AVAILABLE)('README', () => {
  const run = randomBytes(6).toString('hex');
  const prefix = `claude-auth-test:readme-${run}:`;
  const file = path.join(import.meta.dirname, `.readme-snippet-${run}.ts`);
  afterAll(async () => {
    rmSync(file, { force: true });
    const admin = adminClient();
    await deletePrefix(admin, prefix);
    await admin.quit();
  });

  it('opens with a snippet that runs', async () => {
    expect(snippet).toContain("from '@claude-auth/redis'");
    writeFileSync(file, `${snippet.replaceAll("'readme:", `'${prefix}`)}\nexport {};\n`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await import(file);
      expect(log).toHaveBeenCalledWith(true);
    } finally {
      log.mockRestore();
    }
  });
});
