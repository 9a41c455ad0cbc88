import path from 'node:path';

/** The monorepo root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');

/** The Express demo, started from here exactly as its `start` script does. */
export const EXPRESS_DEMO_DIR = path.join(REPO_ROOT, 'apps/express-demo');

/** The built `claude-auth` command. */
export const CLI_BIN = path.join(REPO_ROOT, 'packages/cli/dist/cli.js');

/**
 * The environment for a child process: the parent's, minus every variable that would change how
 * claude-auth or the test runner behaves in the child, plus `extra`.
 *
 * @example
 * ```ts
 * spawn(process.execPath, ['main.js'], { env: childEnv({ PORT: '0' }) });
 * ```
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(CLAUDE_AUTH_|ANTHROPIC_|VITEST|NODE_OPTIONS$|PORT$|TURBO_)/.test(name)) continue;
    env[name] = value;
  }
  env.NODE_ENV = 'production';
  return { ...env, ...extra };
}
