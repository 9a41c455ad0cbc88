/**
 * Rows `claude-express` and `claude-express-flood`: Express 5 + `claudeAuth()` (memory store,
 * cache, key rate limit never reached), then `express.json()`.
 */
import { claudeAuth, claudeAuthErrorHandler } from '@claude-auth/express';
import express from 'express';
import { createBenchAuth, withBenchDebug } from './claude-setup.js';
import { REPLY, serve } from './shared.js';

const bench = await createBenchAuth();
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
