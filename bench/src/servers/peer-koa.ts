/**
 * Row `peer-koa`: Koa with koa-ratelimit (memory driver, limit never reached) and a constant-time
 * `x-api-key` check, then the JSON body read.
 */
import Router from '@koa/router';
import Koa from 'koa';
import ratelimit from 'koa-ratelimit';
import { benchApiKey, keyMatches, readJsonBody, REPLY, serve } from './shared.js';

const expected = benchApiKey();
const app = new Koa();
const router = new Router();

app.use(async (ctx, next) => {
  if (!keyMatches(ctx.get('x-api-key') || undefined, expected)) {
    ctx.status = 401;
    ctx.body = {
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
    };
    return;
  }
  await next();
});
app.use(
  ratelimit({
    driver: 'memory',
    db: new Map(),
    duration: 60_000,
    max: 1e9,
    id: (ctx) => ctx.ip,
  }),
);
router.post('/v1/messages', async (ctx) => {
  ctx.state.body = await readJsonBody(ctx.req);
  ctx.body = REPLY;
});
app.use(router.routes());

await serve(app.callback());
