import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI_BIN, REPO_ROOT } from './paths.js';

const run = promisify(execFile);

/** What the demo processes and the CLI load at run time (workspace packages resolve to `dist`). */
const REQUIRED = [
  ...['core', 'express', 'cli', 'sqlite', 'postgres', 'redis'].map((name) =>
    path.join(REPO_ROOT, 'packages', name, 'dist/index.js'),
  ),
  CLI_BIN,
];

/**
 * Builds the demo's workspace dependencies the way `pnpm --dir apps/express-demo start` does
 * (`turbo run build --filter=@claude-auth/express-demo^...`; a cache hit when nothing changed).
 * Under `turbo run test` the dependencies were already built (`dependsOn: ["^build"]`), so nothing
 * runs. If the build fails while every `dist` exists (e.g. someone's edit in progress), the
 * existing build is used, with a warning.
 *
 * @example
 * ```ts
 * await ensureBuilt(); // in a vitest globalSetup
 * ```
 */
export async function ensureBuilt(): Promise<void> {
  const present = REQUIRED.every((file) => existsSync(file));
  if (present && process.env.TURBO_HASH !== undefined) return;
  try {
    await run(
      'pnpm',
      [
        'turbo',
        'run',
        'build',
        '--filter=@claude-auth/express-demo^...',
        '--output-logs=errors-only',
      ],
      {
        cwd: REPO_ROOT,
        timeout: 170_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
      },
    );
  } catch (error) {
    const output =
      error instanceof Error && 'stdout' in error
        ? String((error as { stdout: unknown }).stdout)
        : '';
    if (REQUIRED.every((file) => existsSync(file))) {
      console.warn(`[e2e] build failed; using the existing dist output\n${output.slice(-2000)}`);
      return;
    }
    throw new Error(`[e2e] could not build the demo's dependencies:\n${output.slice(-4000)}`, {
      cause: error,
    });
  }
}
