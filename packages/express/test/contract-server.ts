import {
  listenOnLoopback,
  type ContractServer,
  type ContractServerContext,
} from '../../testing/src/index.js';
import express from 'express';
import { claudeAuth, claudeAuthErrorHandler, getClaudeAuth, requireApiKey } from '../src/index.js';

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
  app.use(claudeAuth({ authenticator: context.authenticator }));
  app.use(framework.json({ limit: context.bodyLimitBytes }));
  for (const route of context.routes) {
    const method = route.method === 'GET' ? 'get' : 'post';
    app[method](route.path, requireApiKey(route.requirements), async (req, res, next) => {
      try {
        res.json(await route.handle({ auth: getClaudeAuth(req), body: req.body as unknown }));
      } catch (error) {
        next(error);
      }
    });
  }
  app.use(claudeAuthErrorHandler());
  return listenOnLoopback(app);
}
