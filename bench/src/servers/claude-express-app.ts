/**
 * The Express app of every `claude-express*` row: `claudeAuth()` then `express.json()` on
 * `POST /v1/messages`, the contract error handler, the bench-only stats endpoint.
 */
import { claudeAuth, claudeAuthErrorHandler } from '@claude-auth/express';
import express from 'express';
import { withBenchDebug, type BenchAuth } from './claude-setup.js';
import { REPLY, serve } from './shared.js';

export async function serveClaudeExpress(
  bench: BenchAuth,
  cleanup: () => Promise<void> | void = () => undefined,
): Promise<void> {
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
    close: async () => {
      await bench.authenticator.close();
      await cleanup();
    },
  });
}
