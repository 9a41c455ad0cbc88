/**
 * Row `claude-koa`: Koa 3 + `claudeAuthErrorHandler()` + `claudeAuth()` (memory store, cache, key
 * rate limit never reached), then @koa/router and the JSON body read.
 */
import { claudeAuth, claudeAuthErrorHandler } from '@claude-auth/koa';
import Router from '@koa/router';
import Koa from 'koa';
import { createBenchAuth } from './claude-setup.js';
import { readJsonBody, REPLY, serve } from './shared.js';

const bench = await createBenchAuth();
const app = new Koa();
const router = new Router();
router.post('/v1/messages', async (ctx) => {
  ctx.state.body = await readJsonBody(ctx.req);
  ctx.body = REPLY;
});
app.use(claudeAuthErrorHandler());
app.use(claudeAuth({ authenticator: bench.authenticator }));
app.use(router.routes());

await serve(app.callback(), { apiKey: bench.apiKey, close: () => bench.authenticator.close() });
