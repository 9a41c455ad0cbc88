import {
  InvalidRequestError,
  MemoryKeyStore,
  RateLimitError,
  StoreUnavailableError,
  createAuthenticator,
  type ErrorVocabulary,
} from '@claude-auth/core';
import Koa from 'koa';
import { afterAll, describe, expect, it } from 'vitest';
import { claudeAuthErrorHandler } from '../src/index.js';
import { listen } from './listen.js';

const SECRET = 'cla_api_live_SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET';
const parseError = () => Object.assign(new SyntaxError(`Unexpected token in ${SECRET}`), { status: 400, type: 'entity.parse.failed', body: SECRET });
const tooLarge = () => Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });

const authenticators = {
  spec: createAuthenticator({ store: new MemoryKeyStore(), vocabulary: 'spec' }),
  claude: createAuthenticator({ store: new MemoryKeyStore(), vocabulary: 'claude' }),
};
afterAll(async () => {
  await authenticators.spec.close();
  await authenticators.claude.close();
});

async function respond(error: () => unknown, vocabulary: ErrorVocabulary) {
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
}

describe('claudeAuthErrorHandler', () => {
  it.each([
    ['ClaudeAuthError keeps its status and type', () => new RateLimitError('Slow down', { retryAfter: 7 }), 'spec', 429, 'rate_limit_exceeded', 'Slow down'],
    ['415 InvalidRequestError', () => new InvalidRequestError('content-type must be application/json', { status: 415 }), 'claude', 415, 'invalid_request_error', 'content-type must be application/json'],
    ['malformed JSON body (spec)', parseError, 'spec', 400, 'invalid_request_error', 'Request body is not valid JSON'],
    ['malformed JSON body (claude)', parseError, 'claude', 400, 'invalid_request_error', 'Request body is not valid JSON'],
    ['body too large (spec)', tooLarge, 'spec', 413, 'invalid_request_error', 'Request body is too large'],
    ['body too large (claude)', tooLarge, 'claude', 413, 'request_too_large', 'Request body is too large'],
    ['store unavailable', () => new StoreUnavailableError(), 'spec', 503, 'api_error', undefined],
    ['plain Error holding a key', () => new Error(`db said ${SECRET}`), 'spec', 500, 'api_error', undefined],
    ['thrown string', () => 'oops', 'claude', 500, 'api_error', undefined],
  ] as const)('%s', async (_name, error, vocabulary, status, type, message) => {
    const res = await respond(error, vocabulary);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = JSON.parse(res.text) as { type: string; error: { type: string; message: string }; request_id: string };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe(type);
    if (message !== undefined) expect(body.error.message).toBe(message);
    expect(body.request_id).toBe(res.headers.get('request-id'));
    expect(res.text).not.toContain(SECRET);
    if (status === 429) expect(res.headers.get('retry-after')).toBe('7');
  });
});
