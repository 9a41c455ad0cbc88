import Router from '@koa/router';
import Koa from 'koa';
import {
  createAuthenticator,
  type Authenticator,
  type AuthenticatorOptions,
  type OutboundOptions,
} from '@claude-auth/core';
import {
  answerMessages,
  claudeOnDemand,
  listModels,
  parseMessagesRequest,
  parseSummarizeRequest,
  readJsonBody,
  summarize,
  writeMessageStream,
} from '@claude-auth/demo-kit';
import { claudeAuth, claudeAuthErrorHandler, getClaudeAuth } from '@claude-auth/koa';

/** The demo application and the authenticator behind it (close it on shutdown). */
export interface DemoApp {
  app: Koa;
  authenticator: Authenticator;
}

/**
 * Builds the Koa demo: `GET /v1/models`, `POST /v1/messages` (an echo, as JSON or, for
 * `stream: true`, as server-sent events) and `POST /v1/summarize` (asks Claude, through the
 * official SDK client from the runtime's `outboundOptions`, for a one-sentence summary of
 * `{ "text" }`) behind claude-auth, every error in the contract's JSON shape.
 *
 * @example
 * ```ts
 * const runtime = await createRuntime(loadConfig());
 * const { app } = createApp(runtime);
 * app.listen(3000, '127.0.0.1');
 * ```
 */
export function createApp(runtime: {
  authenticatorOptions: AuthenticatorOptions;
  outboundOptions?: OutboundOptions;
}): DemoApp {
  const authenticator = createAuthenticator(runtime.authenticatorOptions);
  const claude = claudeOnDemand(runtime.outboundOptions);
  const app = new Koa();
  const router = new Router();

  router.get('/v1/models', (ctx) => {
    ctx.body = listModels();
  });
  router.post('/v1/messages', async (ctx) => {
    const request = parseMessagesRequest(
      await readJsonBody(ctx.req, authenticator.options.vocabulary),
    );
    const message = await answerMessages(getClaudeAuth(ctx), request);
    if (!request.stream) {
      ctx.body = message;
      return;
    }
    ctx.respond = false; // the stream writes the Node response itself; headers set so far stay
    await writeMessageStream(ctx.res, message);
  });

  router.post('/v1/summarize', async (ctx) => {
    const request = parseSummarizeRequest(
      await readJsonBody(ctx.req, authenticator.options.vocabulary),
    );
    ctx.body = await summarize(await claude(), request);
  });

  app.use(claudeAuthErrorHandler({ authenticator }));
  app.use(claudeAuth({ authenticator }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, authenticator };
}
