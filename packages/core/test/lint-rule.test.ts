import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, expect, it } from 'vitest';

// The repository's ESLint config forbids framework imports anywhere in packages/core.
const root = path.resolve(import.meta.dirname, '../../..');
const probe = path.join(import.meta.dirname, `lint-probe-${process.pid}.generated.ts`);
afterAll(() => rm(probe, { force: true }));

it.each(['express', 'koa', '@nestjs/common', '@koa/router', 'fastify'])(
  'core may not import %s',
  async (framework) => {
    await writeFile(probe, `import '${framework}';\nexport const probe = 1;\n`);
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintFiles([probe]);
    const messages = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.message).toContain('framework-free');
  },
  60_000,
);
