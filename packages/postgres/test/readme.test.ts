import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { dropSchema, PG_AVAILABLE, randomSchema } from './pg-test-helpers.js';

const readme = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

describe.skipIf(!PG_AVAILABLE)('README', () => {
  const schema = randomSchema();
  const file = path.join(import.meta.dirname, `.readme-snippet-${schema}.ts`);
  afterAll(async () => {
    rmSync(file, { force: true });
    await dropSchema(schema);
  });

  it('opens with a snippet that runs and authenticates a fresh key', async () => {
    expect(snippet).toContain("from '@claude-auth/postgres'");
    writeFileSync(file, `${snippet.replace("'claude_auth'", `'${schema}'`)}\nexport {};\n`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await import(file);
      expect(log).toHaveBeenCalledWith(true);
    } finally {
      log.mockRestore();
    }
  });
});
