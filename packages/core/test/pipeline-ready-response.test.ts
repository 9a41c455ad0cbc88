import {
  MemoryKeyStore,
  createAuthenticator,
  errorResponse,
  type AuthRequest,
} from '@claude-auth/core';
import { afterEach, describe, expect, it } from 'vitest';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

const request = (headers: AuthRequest['headers']): AuthRequest => ({
  method: 'GET',
  url: '/v1/models',
  headers: { 'anthropic-version': '2023-06-01', ...headers },
});

describe('a failed AuthResult carries its complete response', () => {
  it('401: status, every header, the contract body; the same as errorResponse would build', async () => {
    const auth = createAuthenticator({
      store: new MemoryKeyStore(),
      logger: { warn() {}, error() {} },
    });
    open.push(auth);
    const result = await auth.authenticate(request({}));
    if (result.ok) throw new Error('expected a refusal');
    const rebuilt = errorResponse(result.error, 'spec', result.headers['request-id']);
    expect(result.response).toEqual({
      ...rebuilt,
      headers: { ...result.headers, ...rebuilt.headers },
    });
    expect(result.response.status).toBe(401);
    expect(result.response.headers).toBe(result.headers);
    expect(result.response.body).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: expect.any(String) },
      request_id: result.headers['request-id'],
    });
  });

  it('429 of a rate limit: retry-after and the rate-limit headers in the response', async () => {
    const auth = createAuthenticator({
      store: new MemoryKeyStore(),
      rateLimit: { key: { rpm: 1, burst: 1 } },
      logger: { warn() {}, error() {} },
    });
    open.push(auth);
    const { secret } = await auth.keys.createKey({ name: 'k' });
    expect((await auth.authenticate(request({ 'x-api-key': secret }))).ok).toBe(true);
    const result = await auth.authenticate(request({ 'x-api-key': secret }));
    if (result.ok) throw new Error('expected a refusal');
    expect(result.response.status).toBe(429);
    expect(result.response.headers).toMatchObject({
      'retry-after': expect.stringMatching(/^\d+$/),
      'anthropic-ratelimit-requests-limit': '1',
      'anthropic-ratelimit-requests-remaining': '0',
      'content-type': 'application/json',
    });
    expect(JSON.parse(JSON.stringify(result.response.body))).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_exceeded' },
    });
  });
});
