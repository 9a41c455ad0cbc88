import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/readme-blocks.js';
import { cleanEnv, run } from './support/run.js';

// A project where @claude-auth/runtime is installed without its optional peers: the built runtime
// is copied into a throwaway node_modules beside core and sqlite (linked to the built packages),
// and nothing named @claude-auth/postgres, @claude-auth/redis or @anthropic-ai/sdk can be resolved
// from it. The same program runs as ESM and as CommonJS.

let root = '';

const PROGRAM = (load: string, loadAnthropic: string) => `${load}
const report = async (what, attempt) => {
  try {
    const value = await attempt();
    return { what, ok: true, value };
  } catch (error) {
    return {
      what,
      ok: false,
      name: error.name,
      code: error.code,
      field: error.field,
      message: error.message,
      sameCore: error instanceof core.ConfigurationError,
    };
  }
};
const results = [
  await report('sqlite', async () => {
    const store = await runtime.openStore('sqlite:keys.db');
    await store.close();
    return 'opened';
  }),
  await report('memory', async () => {
    const rt = await runtime.createRuntime(core.loadConfig({ env: { CLAUDE_AUTH_STORE_URL: 'memory:' } }));
    await rt.close();
    return 'opened';
  }),
  await report('postgres', () => runtime.openStore('postgres://app:hunter2@127.0.0.1:1/x')),
  await report('redis', () =>
    runtime.createRuntime(
      core.loadConfig({
        env: { CLAUDE_AUTH_STORE_URL: 'memory:', CLAUDE_AUTH_REDIS_URL: 'redis://:hunter2@127.0.0.1:1' },
      }),
    ),
  ),
  await report('anthropic', async () => {
    ${loadAnthropic}
    return createAnthropicClient({ apiKey: 'sk-ant-hunter2' });
  }),
];
console.log(JSON.stringify(results));
`;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'claude-auth-no-drivers-'));
  const scope = path.join(root, 'node_modules', '@claude-auth');
  mkdirSync(scope, { recursive: true });
  const runtimeDir = path.join(REPO_ROOT, 'packages', 'runtime');
  const installed = path.join(scope, 'runtime');
  mkdirSync(installed);
  cpSync(path.join(runtimeDir, 'package.json'), path.join(installed, 'package.json'));
  cpSync(path.join(runtimeDir, 'dist'), path.join(installed, 'dist'), { recursive: true });
  for (const name of ['core', 'sqlite']) {
    symlinkSync(path.join(REPO_ROOT, 'packages', name), path.join(scope, name), 'dir');
  }
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ private: true }));
  writeFileSync(
    path.join(root, 'program.mjs'),
    PROGRAM(
      "import * as core from '@claude-auth/core';\nimport * as runtime from '@claude-auth/runtime';",
      "const { createAnthropicClient } = await import('@claude-auth/runtime/anthropic');",
    ),
  );
  writeFileSync(
    path.join(root, 'program.cjs'),
    `(async () => {\n${PROGRAM(
      "const core = require('@claude-auth/core');\nconst runtime = require('@claude-auth/runtime');",
      "const { createAnthropicClient } = require('@claude-auth/runtime/anthropic');",
    )}\n})();\n`,
  );
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

interface Outcome {
  what: string;
  ok: boolean;
  value?: string;
  name?: string;
  code?: string;
  field?: string;
  message?: string;
  sameCore?: boolean;
}

describe.each(['program.mjs', 'program.cjs'])(
  'runtime without its optional drivers (%s)',
  (file) => {
    let outcomes: Map<string, Outcome>;
    beforeAll(async () => {
      // Without NODE_PATH (pnpm sets it for scripts): require() would find the drivers through it.
      const { NODE_PATH: _ignored, ...env } = cleanEnv();
      const result = await run(process.execPath, [file], {
        cwd: root,
        env,
        timeoutMs: 60_000,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const parsed = JSON.parse(result.stdout) as Outcome[];
      outcomes = new Map(parsed.map((outcome) => [outcome.what, outcome]));
    });

    it('opens SQLite and memory: stores (the drivers are loaded only when asked for)', () => {
      expect(outcomes.get('sqlite')).toMatchObject({ ok: true, value: 'opened' });
      expect(outcomes.get('memory')).toMatchObject({ ok: true, value: 'opened' });
    });

    it.each([
      ['postgres', '@claude-auth/postgres', 'storeUrl'],
      ['redis', '@claude-auth/redis', 'redisUrl'],
      ['anthropic', '@anthropic-ai/sdk', 'createAnthropicClient'],
    ])('a %s URL is a ConfigurationError naming %s to install', (what, name, field) => {
      const outcome = outcomes.get(what)!;
      expect(outcome).toMatchObject({
        ok: false,
        name: 'ConfigurationError',
        code: 'CLAUDE_AUTH_DRIVER_MISSING',
        field,
        sameCore: true,
      });
      expect(outcome.message).toContain(`npm install ${name}`);
      expect(outcome.message).not.toContain('hunter2');
    });
  },
);
