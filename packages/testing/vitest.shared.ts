import path from 'node:path';
import type { ViteUserConfig as UserConfig } from 'vitest/config';

const packagesDir = path.resolve(import.meta.dirname, '..');

/** Workspace packages resolve to their TypeScript sources in tests: no build needed. */
const workspaceAliases = [
  'core',
  'express',
  'koa',
  'nestjs',
  'sqlite',
  'postgres',
  'redis',
  'cli',
  'testing',
]
  .map((name) => ({
    find: new RegExp(`^@claude-auth/${name}$`),
    replacement: path.join(packagesDir, name, 'src/index.ts'),
  }))
  .concat({
    find: /^@claude-auth\/core\/store$/,
    replacement: path.join(packagesDir, 'core', 'src/store/index.ts'),
  });

export interface SharedTestOptions {
  /** Run test files one after another (suites that share Redis or PostgreSQL). */
  serial?: boolean;
  /** Extra Vite plugins (NestJS needs unplugin-swc for decorator metadata). */
  plugins?: UserConfig['plugins'];
  testTimeout?: number;
}

/** The vitest configuration every package and app shares. */
export function sharedTestConfig(dirname: string, options: SharedTestOptions = {}): UserConfig {
  return {
    root: dirname,
    plugins: options.plugins ?? [],
    resolve: { alias: workspaceAliases },
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: 60_000,
      fileParallelism: !options.serial,
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest-report.json' },
    },
  };
}
