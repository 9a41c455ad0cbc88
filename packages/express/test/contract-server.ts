import type { AddressInfo } from 'node:net';
import type { ContractServer, ContractServerContext } from '../../testing/src/index.js';
import express from 'express';
import { claudeAuth, claudeAuthErrorHandler, getClaudeAuth, requireApiKey } from '../src/index.js';

/** The contract table's routes on Express: global middleware, JSON parser, per-route guards. */
export async function startExpressContractServer(
  context: ContractServerContext,
): Promise<ContractServer> {
  const app = express();
  app.use(claudeAuth({ authenticator: context.authenticator }));
  app.use(express.json({ limit: context.bodyLimitBytes }));
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
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) =>
    server.once('listening', resolve).once('error', reject),
  );
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
