import Koa from 'koa';
import { claudeAuth, claudeAuthErrorHandler, claudeProxy } from '../src/index.js';
import { runProxySuite } from '../../testing/src/index.js';

runProxySuite((authenticator, baseUrl) => {
  const app = new Koa();
  app.use(claudeAuthErrorHandler({ authenticator }));
  app.use(claudeAuth({ authenticator }));
  app.use(claudeProxy({ baseUrl, apiKey: 'sk-upstream' }));
  return app;
});
