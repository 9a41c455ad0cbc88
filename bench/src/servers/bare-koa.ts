/** Row `bare-koa`: Koa 3 with @koa/router and a JSON body read, no authentication. */
import Router from '@koa/router';
import Koa from 'koa';
import { readJsonBody, REPLY, serve } from './shared.js';

const app = new Koa();
const router = new Router();
router.post('/v1/messages', async (ctx) => {
  ctx.state.body = await readJsonBody(ctx.req);
  ctx.body = REPLY;
});
app.use(router.routes());

await serve(app.callback());
