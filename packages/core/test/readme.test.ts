import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { format } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';

// What each ```ts block of the README prints, in order (the README's comments say the same).
const expected: string[][] = [
  [
    'true',
    "200 { hello: 'Production' }",
    "401 { type: 'invalid_api_key', message: 'Invalid API key' }",
  ],
  ['true active true', 'true true', 'archived'],
  ['ANTHROPIC_API_KEY [REDACTED]', '429 rate_limit_error 7 req_123'],
  ['reject { rpm: 120 } sqlite:.claude-auth/claude-auth.db', 'reject'],
];

const readme = await readFile(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
// Snippets import '@claude-auth/core': keep them next to the tests so the alias resolves them.
const dir = await mkdtemp(path.join(import.meta.dirname, '.readme-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

it('the README has one expectation list per ts block', () => {
  expect(blocks).toHaveLength(expected.length);
});

it.each(blocks.map((code, i) => [i + 1, code, expected[i]!] as const))(
  'README block %i runs and prints what it says',
  async (index, code, lines) => {
    const file = path.join(dir, `block-${index}.ts`);
    await writeFile(file, code);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(format(...args));
    });
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
    }
    expect(printed).toEqual(lines);
  },
);
