import express from 'express';
import { claudeAuth, claudeAuthErrorHandler, claudeProxy } from '../src/index.js';
import { runProxySuite } from '../../testing/src/index.js';

runProxySuite((authenticator, baseUrl) => {
  const app = express();
  app.use(claudeAuth({ authenticator }));
  app.use('/v1', claudeProxy({ baseUrl, apiKey: 'sk-upstream' }));
  app.use(claudeAuthErrorHandler({ authenticator }));
  return app;
});
