import {
  InvalidRequestError,
  MemoryKeyStore,
  RateLimitError,
  StoreUnavailableError,
  createAuthenticator,
  type ErrorVocabulary,
} from '@claude-auth/core';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { claudeAuthErrorHandler } from '../src/index.js';
import { listenOnLoopback as listen } from '../../testing/src/index.js';

const SECRET = 'cla_api_live_SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET';
const parseError = () =>
  Object.assign(new SyntaxError(`Unexpected token in ${SECRET}`), {
    status: 400,
    type: 'entity.parse.failed',
    body: SECRET,
  });
const tooLarge = () =>
  Object.assign(new Error('request entity too large'), {
    status: 413,
    statusCode: 413,
    type: 'entity.too.large',
  });

const authenticators = {
  spec: createAuthenticator({ store: new MemoryKeyStore(), vocabulary: 'spec' }),
  claude: createAuthenticator({ store: new MemoryKeyStore(), vocabulary: 'claude' }),
};
afterAll(async () => {
  await authenticators.spec.close();
  await authenticators.claude.close();
});

async function respond(error: () => unknown, vocabulary: ErrorVocabulary) {
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
}

interface Row {
  name: string;
  error: () => unknown;
  vocabulary: ErrorVocabulary;
  status: number;
  type: string;
  message?: string;
}

const rows: Row[] = [
  {
    name: 'ClaudeAuthError keeps its status and type',
    error: () => new RateLimitError('Slow down', { retryAfter: 7 }),
    vocabulary: 'spec',
    status: 429,
    type: 'rate_limit_exceeded',
    message: 'Slow down',
  },
  {
    name: '415 InvalidRequestError',
    error: () => new InvalidRequestError('content-type must be application/json', { status: 415 }),
    vocabulary: 'claude',
    status: 415,
    type: 'invalid_request_error',
    message: 'content-type must be application/json',
  },
  {
    name: 'malformed JSON body (spec)',
    error: parseError,
    vocabulary: 'spec',
    status: 400,
    type: 'invalid_request_error',
    message: 'Request body is not valid JSON',
  },
  {
    name: 'malformed JSON body (claude)',
    error: parseError,
    vocabulary: 'claude',
    status: 400,
    type: 'invalid_request_error',
    message: 'Request body is not valid JSON',
  },
  {
    name: 'body too large (spec)',
    error: tooLarge,
    vocabulary: 'spec',
    status: 413,
    type: 'invalid_request_error',
    message: 'Request body is too large',
  },
  {
    name: 'body too large (claude)',
    error: tooLarge,
    vocabulary: 'claude',
    status: 413,
    type: 'request_too_large',
    message: 'Request body is too large',
  },
  {
    name: 'store unavailable',
    error: () => new StoreUnavailableError(),
    vocabulary: 'spec',
    status: 503,
    type: 'api_error',
  },
  {
    name: 'plain Error holding a key',
    error: () => new Error(`db said ${SECRET}`),
    vocabulary: 'spec',
    status: 500,
    type: 'api_error',
  },
  {
    name: 'thrown string',
    error: () => 'oops',
    vocabulary: 'claude',
    status: 500,
    type: 'api_error',
  },
];

describe('claudeAuthErrorHandler', () => {
  it.each(rows)('$name', async ({ error, vocabulary, status, type, message }) => {
    const res = await respond(error, vocabulary);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = JSON.parse(res.text) as {
      type: string;
      error: { type: string; message: string };
      request_id: string;
    };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe(type);
    if (message !== undefined) expect(body.error.message).toBe(message);
    expect(body.request_id).toBe(res.headers.get('request-id'));
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    if (status === 429) expect(res.headers.get('retry-after')).toBe('7');
  });

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
