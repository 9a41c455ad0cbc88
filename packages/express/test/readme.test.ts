import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';

const snippetFile = path.join(import.meta.dirname, 'readme-snippet.generated.ts');

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(snippetFile, { force: true });
});

it('the first ts block of the README runs: creates a key, serves, answers 200', async () => {
  const readme = await readFile(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(snippet).toBeDefined();
  await writeFile(snippetFile, snippet!);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

  await import(pathToFileURL(snippetFile).href);

  expect(log).toHaveBeenCalledTimes(1);
  expect(log.mock.calls[0]).toEqual([
    200,
    { keyName: 'Production', workspaceId: null, echo: { hello: 'Claude' } },
  ]);
});
