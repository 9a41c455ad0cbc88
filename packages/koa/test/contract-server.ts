import { Router } from '@koa/router';
import {
  listenOnLoopback,
  type ContractServer,
  type ContractServerContext,
} from '../../testing/src/index.js';
import Koa from 'koa';
import { claudeAuth, claudeAuthErrorHandler, getClaudeAuth, requireApiKey } from '../src/index.js';
import { readJsonBody } from './read-json-body.js';

/**
 * The contract table's routes on Koa: error handler, global middleware, router with per-route
 * guards. `framework` is the Koa class (Koa 3 by default; the `koa2` npm alias runs the same table
 * on Koa 2).
 */
export async function startKoaContractServer(
  context: ContractServerContext,
  framework: typeof Koa = Koa,
): Promise<ContractServer> {
  const app = new framework();
  app.silent = true;
  app.use(claudeAuthErrorHandler());
  const open = new Set(context.routes.filter((route) => route.public).map((route) => route.path));
  app.use(
    claudeAuth({ authenticator: context.authenticator, exclude: (ctx) => open.has(ctx.path) }),
  );
  const router = new Router();
  for (const route of context.routes) {
    const method = route.method === 'GET' ? 'get' : 'post';
    const guards = route.public ? [] : [requireApiKey(route.requirements)];
    router[method](route.path, ...guards, async (ctx) => {
      const body =
        route.method === 'POST' ? await readJsonBody(ctx, context.bodyLimitBytes) : undefined;
      const auth = route.public ? (undefined as never) : getClaudeAuth(ctx);
      ctx.body = await route.handle({ auth, body });
    });
  }
  app.use(router.routes());
  return listenOnLoopback(app);
}
