import express, { type Express } from 'express';
import {
  createAuthenticator,
  type Authenticator,
  type AuthenticatorOptions,
  type OutboundOptions,
} from '@claude-auth/core';
import {
  MAX_BODY_BYTES,
  answerMessages,
  claudeOnDemand,
  listModels,
  parseMessagesRequest,
  parseSummarizeRequest,
  sendMessage,
  summarize,
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
 * Builds the Express demo: `GET /v1/models`, `POST /v1/messages` (an echo, as JSON or, for
 * `stream: true`, as server-sent events) and `POST /v1/summarize` (asks Claude, through the
 * official SDK client from the runtime's `outboundOptions`, for a one-sentence summary of
 * `{ "text" }`) behind claude-auth, every error in the contract's JSON shape.
 *
 * @example
 * ```ts
 * const runtime = await createRuntime(loadConfig());
 * const { app, authenticator } = createApp(runtime);
 * app.listen(3000, '127.0.0.1');
 * ```
 */
export function createApp(runtime: {
  authenticatorOptions: AuthenticatorOptions;
  outboundOptions?: OutboundOptions;
}): DemoApp {
  const authenticator = createAuthenticator(runtime.authenticatorOptions);
  const claude = claudeOnDemand(runtime.outboundOptions);
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

  app.post('/v1/summarize', async (req, res) => {
    const request = parseSummarizeRequest(req.body);
    res.json(await summarize(await claude(), request));
  });

  app.use(claudeAuthNotFound({ authenticator }));
  app.use(claudeAuthErrorHandler({ authenticator }));
  return { app, authenticator };
}
