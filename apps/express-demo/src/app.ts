import express, { type Express } from 'express';
import {
  createAuthenticator,
  type Authenticator,
  type AuthenticatorOptions,
} from '@claude-auth/core';
import {
  MAX_BODY_BYTES,
  answerMessages,
  listModels,
  parseMessagesRequest,
  sendMessage,
} from '@claude-auth/demo-kit';
import {
  claudeAuth,
  claudeAuthErrorHandler,
  claudeAuthNotFound,
  getClaudeAuth,
} from '@claude-auth/express';

/** The demo application and the authenticator behind it (close it on shutdown). */
export interface DemoApp {
  app: Express;
  authenticator: Authenticator;
}

/**
 * Builds the Express demo: `GET /v1/models` and `POST /v1/messages` (an echo, as JSON or, for
 * `stream: true`, as server-sent events) behind claude-auth, every error in the contract's JSON
 * shape.
 *
 * @example
 * ```ts
 * const runtime = await createRuntime(loadConfig());
 * const { app, authenticator } = createApp(runtime);
 * app.listen(3000, '127.0.0.1');
 * ```
 */
export function createApp(runtime: { authenticatorOptions: AuthenticatorOptions }): DemoApp {
  const authenticator = createAuthenticator(runtime.authenticatorOptions);
  const app = express();
  app.disable('x-powered-by');

  app.use(claudeAuth({ authenticator }));
  app.use(express.json({ limit: MAX_BODY_BYTES }));

  app.get('/v1/models', (_req, res) => {
    res.json(listModels());
  });

  app.post('/v1/messages', async (req, res) => {
    const request = parseMessagesRequest(req.body);
    await sendMessage(res, await answerMessages(getClaudeAuth(req), request), request.stream);
  });

  app.use(claudeAuthNotFound({ authenticator }));
  app.use(claudeAuthErrorHandler({ authenticator }));
  return { app, authenticator };
}
