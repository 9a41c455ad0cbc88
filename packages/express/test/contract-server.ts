import {
  listenOnLoopback,
  type ContractServer,
  type ContractServerContext,
} from '../../testing/src/index.js';
import express from 'express';
import {
  claudeAuth,
  claudeAuthErrorHandler,
  claudeAuthNotFound,
  getClaudeAuth,
  requireApiKey,
} from '../src/index.js';

/**
 * The contract table's routes on Express: global middleware, JSON parser, per-route guards.
 * `framework` is the `express` export to build the app with (Express 5 by default; the `express4`
 * npm alias runs the same table on Express 4).
 */
export async function startExpressContractServer(
  context: ContractServerContext,
  framework: typeof express = express,
): Promise<ContractServer> {
  const app = framework();
  const open = new Set(context.routes.filter((route) => route.public).map((route) => route.path));
  app.use(
    claudeAuth({ authenticator: context.authenticator, exclude: (req) => open.has(req.path) }),
  );
  app.use(framework.json({ limit: context.bodyLimitBytes }));
  for (const route of context.routes) {
    const method = route.method === 'GET' ? 'get' : 'post';
    const guards = route.public ? [] : [requireApiKey(route.requirements)];
    app[method](route.path, ...guards, async (req, res, next) => {
      try {
        const auth = route.public ? (undefined as never) : getClaudeAuth(req);
        res.json(await route.handle({ auth, body: req.body as unknown }));
      } catch (error) {
        next(error);
      }
    });
  }
  app.use(claudeAuthNotFound());
  app.use(claudeAuthErrorHandler());
  return listenOnLoopback(app);
}
