import { MemoryKeyStore, createAuthenticator } from '@claude-auth/core';
import Koa from 'koa';
import { afterAll, describe } from 'vitest';
import { claudeAuthErrorHandler } from '../src/index.js';
import {
  listenOnLoopback as listen,
  runErrorHandlerCases,
  type RespondWithError,
} from '../../testing/src/index.js';

const authenticators = {
  spec: createAuthenticator({ store: new MemoryKeyStore(), vocabulary: 'spec' }),
  claude: createAuthenticator({ store: new MemoryKeyStore(), vocabulary: 'claude' }),
};
afterAll(async () => {
  await authenticators.spec.close();
  await authenticators.claude.close();
});

const respond: RespondWithError = async (error, vocabulary) => {
  const app = new Koa();
  app.silent = true;
  app.use(claudeAuthErrorHandler({ authenticator: authenticators[vocabulary] }));
  app.use(() => {
    throw error();
  });
  const server = await listen(app);
  try {
    const res = await fetch(server.baseUrl);
    return { status: res.status, headers: res.headers, text: await res.text() };
  } finally {
    await server.close();
  }
};

describe('claudeAuthErrorHandler', () => {
  runErrorHandlerCases(respond);
});
