import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/readme-blocks.js';
import { cleanEnv, run } from './support/run.js';

// What a user gets from npm: every publishable package is packed (`pnpm pack`, which rewrites
// `workspace:^` to real versions), and the tarballs are installed into throwaway projects (Express 5,
// Koa 3, NestJS 11, and NestJS 10 for the older major the peer range claims) in a temporary
// directory outside the workspace. The projects share one install in their common parent's
// node_modules, so the native better-sqlite3 is installed once; pnpm's side-effects cache in the
// shared store usually spares even that build (the first run on a machine compiles it, about 75 s).
// The NestJS 10 project installs only Nest 10 and the two tarballs it needs in its own
// node_modules, which shadow the parent's. Each project is type-checked strictly
// (`skipLibCheck: false`) by TypeScript 5.9 and 7 under `moduleResolution` node16 and bundler,
// then run: one request with a key it issued (accepted) and one with a key never issued (refused).

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');
/**
 * The throwaway projects: a name, the fixture they copy, and for an older framework major its own
 * dependencies, installed in the project (they shadow the shared parent's for that project only).
 */
const PROJECTS = [
  { name: 'express', fixture: 'express' },
  { name: 'koa', fixture: 'koa' },
  { name: 'nestjs', fixture: 'nestjs' },
  {
    name: 'nestjs10',
    fixture: 'nestjs',
    own: {
      '@claude-auth/nestjs': '',
      '@claude-auth/core': '',
      '@nestjs/common': '^10.4.0',
      '@nestjs/core': '^10.4.0',
      '@nestjs/platform-express': '^10.4.0',
      'reflect-metadata': '^0.2.2',
      rxjs: '^7.8.0',
    },
  },
] as const satisfies ReadonlyArray<{ name: string; fixture: string; own?: Record<string, string> }>;
const timings: Record<string, number> = {};
const started = performance.now();

interface Publishable {
  name: string;
  dir: string;
  version: string;
}
const publishable: Publishable[] = readdirSync(path.join(REPO_ROOT, 'packages'))
  .sort()
  .map((dir) => {
    const manifest = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'packages', dir, 'package.json'), 'utf8'),
    ) as { name: string; version: string; private?: boolean };
    return { ...manifest, dir: path.join(REPO_ROOT, 'packages', dir) };
  })
  .filter((manifest) => !('private' in manifest && manifest.private));

let root = '';
const tarballs = new Map<string, string>();

function fail(what: string, result: { code: number | null; stdout: string; stderr: string }) {
  return new Error(
    `${what} exited ${result.code}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
  );
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'claude-auth-packed-'));
  const tarballDir = path.join(root, 'tarballs');
  mkdirSync(tarballDir);

  let t = performance.now();
  for (const pkg of publishable) {
    const before = new Set(readdirSync(tarballDir));
    const packed = await run('pnpm', ['pack', '--pack-destination', tarballDir], {
      cwd: pkg.dir,
      env: cleanEnv(),
    });
    if (packed.code !== 0) throw fail(`pnpm pack in ${pkg.dir}`, packed);
    const file = readdirSync(tarballDir).find((name) => !before.has(name));
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${pkg.name}`);
    tarballs.set(pkg.name, `file:./tarballs/${file}`);
  }
  timings.pack = performance.now() - t;

  const fromTarballs = Object.fromEntries(tarballs);
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify(
      {
        name: 'claude-auth-packed-consumers',
        private: true,
        type: 'module',
        dependencies: {
          ...fromTarballs,
          express: '^5.1.0',
          '@types/express': '^5.0.0',
          koa: '^3.0.0',
          '@types/koa': '^3.0.0',
          '@nestjs/common': '^11.0.0',
          '@nestjs/core': '^11.0.0',
          '@nestjs/platform-express': '^11.0.0',
          'reflect-metadata': '^0.2.2',
          rxjs: '^7.8.0',
          typescript: '~5.9.3',
          typescript7: 'npm:typescript@^7.0.2',
          '@types/node': '^20.19.0',
        },
        // The tarballs depend on each other by version (`^0.1.0`): take those from the tarballs too.
        pnpm: { overrides: fromTarballs, onlyBuiltDependencies: ['better-sqlite3'] },
      },
      null,
      2,
    ),
  );
  t = performance.now();
  const installed = await run(
    'pnpm',
    ['install', '--no-frozen-lockfile', '--prefer-offline', '--reporter=append-only'],
    { cwd: root, env: cleanEnv(), timeoutMs: 200_000 },
  );
  if (installed.code !== 0) throw fail('pnpm install of the tarballs', installed);
  timings.install = performance.now() - t;

  for (const project of PROJECTS) {
    const dir = path.join(root, project.name);
    cpSync(path.join(FIXTURES, project.fixture), dir, { recursive: true });
    cpSync(path.join(FIXTURES, 'exchange.ts'), path.join(dir, 'src', 'exchange.ts'));
    const own = 'own' in project ? project.own : undefined;
    // A tarball dependency of a project with its own install points one directory up.
    const local = (spec: string) => spec.replace('file:./', 'file:../');
    const ownTarballs = Object.fromEntries(
      [...tarballs]
        .filter(([name]) => own && name in own)
        .map(([name, spec]) => [name, local(spec)]),
    );
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({
        name: `packed-${project.name}`,
        private: true,
        type: 'module',
        ...(own && {
          dependencies: { ...own, ...ownTarballs },
          pnpm: { overrides: ownTarballs },
        }),
      }),
    );
    if (own) {
      t = performance.now();
      const ownInstall = await run(
        'pnpm',
        ['install', '--no-frozen-lockfile', '--prefer-offline', '--reporter=append-only'],
        { cwd: dir, env: cleanEnv(), timeoutMs: 120_000 },
      );
      if (ownInstall.code !== 0) throw fail(`pnpm install in ${project.name}`, ownInstall);
      timings[`install ${project.name}`] = performance.now() - t;
    }
    const compilerOptions = {
      strict: true,
      skipLibCheck: false,
      target: 'ES2022',
      lib: ['ES2023'],
      types: ['node'],
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      rootDir: 'src',
    };
    writeFileSync(
      path.join(dir, 'tsconfig.node16.json'),
      JSON.stringify({
        compilerOptions: {
          ...compilerOptions,
          module: 'node16',
          moduleResolution: 'node16',
          outDir: 'dist',
        },
        include: ['src'],
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
        include: ['src'],
      }),
    );
  }
}, 280_000);

afterAll(() => {
  timings.total = performance.now() - started;
  console.log(
    `[packed] ${Object.entries(timings)
      .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`)
      .join(', ')}`,
  );
  if (root) rmSync(root, { recursive: true, force: true });
});

it('packs every publishable package with its LICENSE, README and dual build', async () => {
  expect(publishable.map((pkg) => pkg.name).sort()).toEqual(
    [
      '@claude-auth/cli',
      '@claude-auth/core',
      '@claude-auth/express',
      '@claude-auth/koa',
      '@claude-auth/nestjs',
      '@claude-auth/postgres',
      '@claude-auth/redis',
      '@claude-auth/runtime',
      '@claude-auth/sqlite',
    ].sort(),
  );
  for (const [name, spec] of tarballs) {
    const listed = await run('tar', ['tzf', path.join(root, spec.replace('file:./', ''))]);
    const files = listed.stdout.split('\n').filter(Boolean);
    for (const file of [
      'LICENSE',
      'README.md',
      'package.json',
      'dist/index.js',
      'dist/index.cjs',
    ]) {
      expect(files, `${name} tarball`).toContain(`package/${file}`);
    }
    expect(
      files.some((file) => file.endsWith('.d.ts')),
      `${name} types`,
    ).toBe(true);
    expect(
      files.filter((file) => /\/(src|test)\//.test(file)),
      `${name} sources`,
    ).toEqual([]);
  }
  const manifest = await run('tar', [
    'xzOf',
    path.join(root, tarballs.get('@claude-auth/express')!.replace('file:./', '')),
    'package/package.json',
  ]);
  expect(manifest.stdout).not.toContain('workspace:');
});

it('installed better-sqlite3 once, built, for all the projects', () => {
  const store = path.join(root, 'node_modules', '.pnpm');
  const copies = readdirSync(store).filter((name) => name.startsWith('better-sqlite3@'));
  expect(copies).toHaveLength(1);
  const release = path.join(store, copies[0]!, 'node_modules/better-sqlite3/build/Release');
  expect(readdirSync(release)).toContain('better_sqlite3.node');
});

it('has TypeScript 5.9 and 7 to type-check with', async () => {
  for (const [typescript, version] of [
    ['typescript', /^Version 5\.9\./],
    ['typescript7', /^Version 7\./],
  ] as const) {
    const tsc = path.join(root, 'node_modules', typescript, 'bin', 'tsc');
    expect((await run(process.execPath, [tsc, '--version'])).stdout).toMatch(version);
  }
});

describe.each(PROJECTS)(
  'a throwaway $name project on the tarballs',
  ({ name: project, fixture }) => {
    const dir = () => path.join(root, project);
    const tsc = (typescript: string) => path.join(root, 'node_modules', typescript, 'bin', 'tsc');

    // TypeScript 5.9 under node16 first: it emits the JavaScript the next test runs.
    it.each([
      { version: '5.9', typescript: 'typescript', mode: 'node16' },
      { version: '5.9', typescript: 'typescript', mode: 'bundler' },
      { version: '7', typescript: 'typescript7', mode: 'node16' },
      { version: '7', typescript: 'typescript7', mode: 'bundler' },
    ])(
      'type-checks strictly with TypeScript $version under moduleResolution $mode',
      async ({ version, typescript, mode }) => {
        const t = performance.now();
        const checked = await run(
          process.execPath,
          [
            tsc(typescript),
            '-p',
            `tsconfig.${mode}.json`,
            '--pretty',
            'false',
            ...(version === '7' ? ['--noEmit'] : []),
          ],
          { cwd: dir() },
        );
        timings[`tsc${version} ${project} ${mode}`] = performance.now() - t;
        expect(checked.stdout + checked.stderr).toBe('');
        expect(checked.code).toBe(0);
      },
    );

    it('answers one accepted and one refused request', async () => {
      const env = cleanEnv();
      if (project === 'express') {
        // The key comes from the packed CLI's bin, into the SQLite file the service opens.
        const created = await run(
          path.join(root, 'node_modules', '.bin', 'claude-auth'),
          ['--store', 'sqlite:keys.db', '--json', 'keys', 'create', '--name', 'packed-express'],
          { cwd: dir(), env },
        );
        expect(created.code, created.stderr).toBe(0);
        env.CLAUDE_AUTH_KEY = (JSON.parse(created.stdout) as { secret: string }).secret;
      }
      const t = performance.now();
      if ('own' in PROJECTS.find((candidate) => candidate.name === project)!) {
        const nest = JSON.parse(
          readFileSync(path.join(dir(), 'node_modules/@nestjs/core/package.json'), 'utf8'),
        ) as { version: string };
        expect(nest.version).toMatch(/^10\./);
      }
      const ran = await run(process.execPath, ['dist/main.js'], {
        cwd: dir(),
        env,
        timeoutMs: 60_000,
      });
      timings[`run ${project}`] = performance.now() - t;
      expect(ran.code, ran.stderr).toBe(0);
      const { accepted, refused } = JSON.parse(ran.stdout.trim().split('\n').at(-1)!) as {
        accepted: { status: number; body: { key: string; echo?: unknown } };
        refused: {
          status: number;
          body: { type: string; error: { type: string }; request_id: string };
        };
      };
      expect(accepted.status).toBe(fixture === 'nestjs' ? 201 : 200);
      expect(accepted.body.key).toBe(`packed-${fixture}`);
      expect(refused.status).toBe(401);
      expect(refused.body.type).toBe('error');
      expect(refused.body.error.type).toBe('invalid_api_key');
      expect(refused.body.request_id).toMatch(/^req_/);
    });
  },
);
