import { describe, expect, it } from 'vitest';
import {
  MemoryKeyStore,
  createAuthenticator,
  isClaudeAuthError,
  type ClaudeAuth,
} from '@claude-auth/core';
import {
  answerMessages,
  costUsd,
  echoMessage,
  echoUsage,
  listModels,
  parseMessagesRequest,
} from '../src/index.js';

const HELLO = parseMessagesRequest({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello, Claude' }],
});

async function authFor(monthlySpendLimitUsd: number | null): Promise<ClaudeAuth> {
  const authenticator = createAuthenticator({ store: new MemoryKeyStore() });
  const workspace = await authenticator.keys.createWorkspace({ name: 'w', monthlySpendLimitUsd });
  const { secret } = await authenticator.keys.createKey({ name: 'k', workspaceId: workspace.id });
  const result = await authenticator.authenticate({
    method: 'POST',
    url: '/v1/messages',
    headers: {
      'x-api-key': secret,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
  });
  if (!result.ok) throw result.error;
  return result.auth;
}

describe('the echo', () => {
  it.each([
    [
      { messages: [{ role: 'user', content: 'Hello, Claude' }] },
      'Echo: Hello, Claude',
      { input_tokens: 4, output_tokens: 5 },
    ],
    [
      {
        system: [{ type: 'text', text: 'Be brief.' }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'image' }] },
          { role: 'assistant', content: 'two' },
        ],
      },
      'Echo: one',
      { input_tokens: 4, output_tokens: 3 },
    ],
  ])('echoes %j with a usage known before the reply', (partial, text, usage) => {
    const request = parseMessagesRequest({ model: 'm', max_tokens: 8, ...partial });
    expect(echoUsage(request)).toEqual(usage);
    const reply = echoMessage(request);
    expect(reply.content).toEqual([{ type: 'text', text }]);
    expect(reply.usage).toEqual(usage);
  });

  it.each([
    [
      'an unknown role',
      {
        messages: [
          { role: 'developer', content: 'x' },
          { role: 'user', content: 'hi' },
        ],
      },
    ],
    [
      'unknown top-level fields',
      {
        thinking: { type: 'enabled' },
        container: 'c',
        messages: [{ role: 'user', content: 'hi' }],
      },
    ],
    [
      'unknown block types only',
      { messages: [{ role: 'user', content: [{ type: 'document' }, 'odd'] }] },
    ],
    ['a message without content', { messages: [{ role: 'user' }] }],
  ])('accepts %s (only model, max_tokens and messages are checked)', (_name, partial) => {
    expect(() => parseMessagesRequest({ model: 'm', max_tokens: 8, ...partial })).not.toThrow();
  });

  it.each([
    [
      { max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] },
      'model: a non-empty string is required',
    ],
    [
      { model: 'm', max_tokens: 1.5, messages: [{ role: 'user', content: 'hi' }] },
      'max_tokens: a positive integer is required',
    ],
    [{ model: 'm', max_tokens: 8, messages: [] }, 'messages: a non-empty array is required'],
    [{ model: 'm', max_tokens: 8, messages: ['hi'] }, 'messages.0: must be an object'],
    [
      { model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], stream: 'true' },
      'stream: a boolean is expected',
    ],
  ])('refuses %j', (body, message) => {
    expect(() => parseMessagesRequest(body)).toThrow(message);
  });

  it('reads stream: true', () => {
    expect(
      parseMessagesRequest({
        model: 'm',
        max_tokens: 8,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }).stream,
    ).toBe(true);
    expect(HELLO.stream).toBe(false);
  });

  it('prices usage at $3 / $15 per million tokens', () => {
    expect(costUsd({ input_tokens: 1_000_000, output_tokens: 0 })).toBe(3);
    expect(costUsd({ input_tokens: 4, output_tokens: 5 })).toBeCloseTo(0.000087, 12);
  });

  it('lists the models with first and last ids', () => {
    expect(listModels()).toMatchObject({
      has_more: false,
      first_id: 'claude-sonnet-4-6',
      last_id: 'claude-haiku-4-5',
    });
  });
});

describe('answerMessages', () => {
  it('debits the cost and answers while under the limit', async () => {
    const auth = await authFor(1);
    const reply = await answerMessages(auth, HELLO);
    expect(reply.content[0]?.text).toBe('Echo: Hello, Claude');
    expect((await auth.recordSpend(0)).totalMicros).toBe(87);
  });

  it("throws the core's spend-limit error once the limit is reached, without debiting", async () => {
    const auth = await authFor(0.000001);
    await answerMessages(auth, HELLO);
    const error = await answerMessages(auth, HELLO).catch((e: unknown) => e);
    expect(isClaudeAuthError(error)).toBe(true);
    expect(error).toMatchObject({ status: 429, type: 'rate_limit_exceeded' });
    expect((await auth.recordSpend(0)).totalMicros).toBe(87);
  });
});
