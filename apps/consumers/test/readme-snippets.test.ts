import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBlocks, REPO_ROOT, type ReadmeBlock } from './support/readme-blocks.js';
import { cleanEnv, run, TSC } from './support/run.js';

// Every fenced block of every README (root, packages/*, apps/*) is checked the way a newcomer
// would use it: ts blocks are copied into files beside this package's node_modules, where
// `@claude-auth/*` resolve to the built packages (their `exports` and `dist`, not the sources), and
// type-checked strictly (`skipLibCheck: false`) under `moduleResolution` node16 and bundler; the ts
// blocks that are programs (no `export`, no `declare`) then run with Node; sh blocks must parse,
// and each `pnpm <script>` they name must exist; json blocks must parse.

const blocks = readmeBlocks();
const tsBlocks = blocks.filter((block) => block.lang === 'ts' || block.lang === 'typescript');
const shellBlocks = blocks.filter((block) => ['sh', 'bash', 'shell'].includes(block.lang));
const jsonBlocks = blocks.filter((block) => block.lang === 'json');

/** Programs that need a live service: their package's own README test runs them, isolated. */
const RUN_ELSEWHERE: Record<string, string> = {
  'packages/postgres/README.md':
    'needs PostgreSQL: packages/postgres/test/readme.test.ts runs it on its own schema',
  'packages/redis/README.md':
    'needs Redis: packages/redis/test/readme.test.ts runs it under its own key prefix',
  'apps/sdk-conformance/README.md':
    'needs a service on :3000: test/conformance.test.ts makes the same calls against every demo',
};

const isProgram = (block: ReadmeBlock) =>
  !/^\s*export\s/m.test(block.code) && !/^\s*declare\s/m.test(block.code);

const dir = path.join(import.meta.dirname, '..', '.snippets');
const compilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  target: 'ES2022',
  lib: ['ES2023', 'DOM'],
  types: ['node'],
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
};

beforeAll(() => {
  for (const name of [
    'core',
    'express',
    'koa',
    'nestjs',
    'sqlite',
    'postgres',
    'redis',
    'runtime',
    'cli',
  ]) {
    const built = path.join(REPO_ROOT, 'packages', name, 'dist', 'index.d.ts');
    try {
      readFileSync(built);
    } catch {
      throw new Error(`${built} is missing: run \`pnpm build\` first (\`pnpm test\` does).`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  for (const block of tsBlocks) writeFileSync(path.join(dir, `${block.slug}.ts`), block.code);
  const files = tsBlocks.map((block) => `${block.slug}.ts`);
  writeFileSync(
    path.join(dir, 'tsconfig.node16.json'),
    JSON.stringify({
      compilerOptions: {
        ...compilerOptions,
        module: 'node16',
        moduleResolution: 'node16',
        outDir: 'out',
      },
      files,
    }),
  );
  writeFileSync(
    path.join(dir, 'tsconfig.bundler.json'),
    JSON.stringify({
      compilerOptions: {
        ...compilerOptions,
        module: 'preserve',
        moduleResolution: 'bundler',
        noEmit: true,
      },
      files,
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `file.ts(12,3): error TS2769: …` → `packages/express/README.md:7 +12: error TS2769: …`. */
function locate(output: string): string {
  return output.replace(/^([\w.-]+)\.ts\((\d+),\d+\)/gm, (whole, slug: string, line: string) => {
    const block = tsBlocks.find((candidate) => candidate.slug === slug);
    return block ? `${block.where} (line ${Number(line)} of the block)` : whole;
  });
}

it('finds the code blocks of every README', () => {
  const readmes = new Set(blocks.map((block) => block.readme));
  expect([...readmes]).toEqual(
    expect.arrayContaining(['README.md', 'packages/core/README.md', 'packages/cli/README.md']),
  );
  expect(tsBlocks.length).toBeGreaterThanOrEqual(10);
  const unknown = blocks.filter(
    (block) => ![...tsBlocks, ...shellBlocks, ...jsonBlocks].includes(block),
  );
  expect(unknown.map((block) => `${block.where} (${block.lang || 'no language'})`)).toEqual([]);
});

describe.each(['node16', 'bundler'])('ts blocks under moduleResolution %s', (resolution) => {
  it('type-check strictly against the built packages', async () => {
    const result = await run(
      process.execPath,
      [TSC, '-p', `tsconfig.${resolution}.json`, '--pretty', 'false'],
      { cwd: dir, timeoutMs: 110_000 },
    );
    expect(locate(result.stdout + result.stderr)).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('ts blocks that are programs', () => {
  const programs = tsBlocks.filter(isProgram);
  it.each(programs.map((block) => [block.where, block] as const))(
    '%s runs to completion',
    async (_where, block) => {
      const elsewhere = RUN_ELSEWHERE[block.readme];
      if (elsewhere) {
        expect(block.code).toMatch(/\bawait\b/); // a program indeed: the other test runs it
        return;
      }
      const compiled = path.join(dir, 'out', `${block.slug}.js`);
      const result = await run(process.execPath, [compiled], {
        cwd: dir,
        env: cleanEnv(),
        timeoutMs: 60_000,
      });
      expect(result.stderr).not.toMatch(/\bError\b|at .*:\d+:\d+/);
      expect(result.code).toBe(0);
    },
  );
});

describe('sh blocks', () => {
  const scripts = Object.keys(
    (
      JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts,
  );
  /** pnpm's own commands (everything else after `pnpm` must be a root script). */
  const builtins = new Set(['i', 'install', 'add', 'exec', 'dlx', 'run', 'pack', 'store']);

  it.each(shellBlocks.map((block) => [block.where, block] as const))(
    '%s parses, and its pnpm scripts exist',
    async (_where, block) => {
      const parsed = await run('bash', ['-n', '-c', block.code]);
      expect(parsed.stderr).toBe('');
      for (const [, command] of block.code.matchAll(
        /(?:^|[;&|]\s*|\$\()\s*pnpm(?:\s+-s)?\s+([a-z][\w:-]*)/gm,
      )) {
        if (!builtins.has(command!)) expect(scripts).toContain(command);
      }
    },
  );
});

describe('json blocks', () => {
  it.each(jsonBlocks.map((block) => [block.where, block] as const))(
    '%s is valid JSON',
    (_where, block) => {
      expect(() => JSON.parse(block.code) as unknown).not.toThrow();
    },
  );
});
