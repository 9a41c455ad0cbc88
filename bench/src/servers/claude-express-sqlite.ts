/**
 * Row `claude-express-sqlite`: as `claude-express`, with the SQLite store (a fresh file in a
 * temporary directory, WAL). The cache answers known keys, so the store is off the hot path.
 */
import { SqliteKeyStore } from '@claude-auth/sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveClaudeExpress } from './claude-express-app.js';
import { createBenchAuth } from './claude-setup.js';

const dir = mkdtempSync(join(tmpdir(), 'claude-auth-bench-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
await serveClaudeExpress(
  await createBenchAuth({ store: SqliteKeyStore.open(join(dir, 'keys.db')) }),
);
