import { MemoryKeyStore, createAuthenticator } from '@claude-auth/core';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
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
  const app = express();
  app.get('/', () => {
    throw error();
  });
  app.use(claudeAuthErrorHandler({ authenticator: authenticators[vocabulary] }));
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

  it('hands the error on when the response has already started', async () => {
    const app = express();
    app.set('env', 'test');
    app.get('/', (_req, res, next) => {
      res.status(200).write('partial');
      next(new Error('late'));
    });
    app.use(claudeAuthErrorHandler({ authenticator: authenticators.spec }));
    const server = await listen(app);
    try {
      const res = await fetch(server.baseUrl);
      expect(res.status).toBe(200);
      await res.text().catch(() => undefined);
    } finally {
      await server.close();
    }
  });
});
