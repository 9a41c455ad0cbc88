/**
 * Row `claude-express-sqlite`: as `claude-express`, with the SQLite store (a fresh file in a
 * temporary directory, WAL). The cache answers known keys, so the store is off the hot path.
 */
import { claudeAuth, claudeAuthErrorHandler } from '@claude-auth/express';
import { SqliteKeyStore } from '@claude-auth/sqlite';
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBenchAuth, withBenchDebug } from './claude-setup.js';
import { REPLY, serve } from './shared.js';

const dir = mkdtempSync(join(tmpdir(), 'claude-auth-bench-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
const bench = await createBenchAuth({ store: SqliteKeyStore.open(join(dir, 'keys.db')) });
const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.post(
  '/v1/messages',
  claudeAuth({ authenticator: bench.authenticator }),
  express.json(),
  (_req, res) => {
    res.json(REPLY);
  },
);
app.use(claudeAuthErrorHandler());

await serve(withBenchDebug(app, bench.lookups), {
  apiKey: bench.apiKey,
  close: () => bench.authenticator.close(),
});
