/**
 * Row `claude-express-sqlite`: as `claude-express`, with the SQLite store (a fresh file in a
 * temporary directory, WAL) opened by `@claude-auth/runtime` from its store URL, as a service
 * does. The cache answers known keys, so the store is off the hot path.
 */
import { loadConfig } from '@claude-auth/core';
import { createRuntime } from '@claude-auth/runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveClaudeExpress } from './claude-express-app.js';
import { createBenchAuth } from './claude-setup.js';

const dir = mkdtempSync(join(tmpdir(), 'claude-auth-bench-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
const runtime = await createRuntime(
  loadConfig({ env: { CLAUDE_AUTH_STORE_URL: `sqlite:${join(dir, 'keys.db')}` } }),
);
await serveClaudeExpress(await createBenchAuth({ store: runtime.store }), () => runtime.close());
