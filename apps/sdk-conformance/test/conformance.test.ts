/**
 * Official-client conformance: every SDK generation (support/sdks.ts) drives every target
 * (support/targets.ts) unchanged, with `baseURL` only (plus `defaultHeaders` where a case needs
 * a header a real caller would set, and a counting `fetch` where a case counts attempts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SDKS, type ClientOptions, type SdkErrorClass, type SdkUnderTest } from './support/sdks.js';
import { TARGETS, type RunningTarget, type TargetFixtures } from './support/targets.js';

// A model both SDKs know and do not warn about as deprecated; the demos' echo accepts any model.
const MODEL = 'claude-sonnet-5-5';
const HELLO = {
  model: MODEL,
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Hello, Claude' }],
};
const REQUEST_ID = /^req_[0-9A-Za-z]+$/;

/** A fetch that counts the attempts the SDK makes. */
function countingFetch(): { fetch: typeof fetch; count: () => number } {
  let count = 0;
  return {
    fetch: (input, init) => {
      count++;
      return fetch(input, init);
    },
    count: () => count,
  };
}

/** The error a promise rejects with, checked to be of `type` with a `request-id`. */
async function sdkError(
  promise: Promise<unknown>,
  type: SdkErrorClass,
  status: number,
): Promise<InstanceType<SdkErrorClass>> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${type.name}, got a success`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  const apiError = error as InstanceType<SdkErrorClass>;
  expect(apiError.status).toBe(status);
  expect(apiError.requestID).toMatch(REQUEST_ID);
  return apiError;
}

function header(error: InstanceType<SdkErrorClass>, name: string): string | null | undefined {
  const headers = error.headers;
  if (headers === undefined) return undefined;
  return headers instanceof Headers ? headers.get(name) : headers[name];
}

describe.each(TARGETS.map((target) => ({ target, name: target.name })))('$name', ({ target }) => {
  let running: RunningTarget;
  beforeAll(async () => {
    running = await target.start();
  });
  afterAll(async () => {
    await running?.close();
  });

  describe.each(SDKS.map((sdk) => ({ sdk, name: sdk.name })))('$name', ({ sdk }) => {
    let f: TargetFixtures;
    const client = (sdkUnderTest: SdkUnderTest, options: Omit<ClientOptions, 'baseURL'>) =>
      sdkUnderTest.client({ baseURL: running.baseURL, ...options });

    beforeAll(async () => {
      f = await running.fixtures();
    });

    it('messages.create', async () => {
      const message = await client(sdk, { apiKey: f.key }).messages.create(HELLO);
      expect(message).toMatchObject({
        type: 'message',
        role: 'assistant',
        model: MODEL,
        content: [{ type: 'text', text: 'Echo: Hello, Claude' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 4, output_tokens: 5 },
      });
      expect(message.id).toMatch(/^msg_/);
    });

    it("the workspace is charged the reply's usage at the model's price ($3/$15 per million)", async () => {
      const before = await running.spentMicros(f.workspaceId);
      const message = await client(sdk, { apiKey: f.workspaceKey }).messages.create(HELLO);
      const { input_tokens: input, output_tokens: output } = message.usage;
      await expect
        .poll(() => running.spentMicros(f.workspaceId), { timeout: 5000 })
        .toBe(before + input * 3 + output * 15);
    });

    it('messages.stream: text from the deltas, and the final message', async () => {
      const stream = client(sdk, { apiKey: f.key }).messages.stream(HELLO);
      const deltas: string[] = [];
      stream.on('text', (delta) => deltas.push(delta));
      const final = await stream.finalMessage();
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe('Echo: Hello, Claude');
      expect(final).toMatchObject({
        content: [{ type: 'text', text: 'Echo: Hello, Claude' }],
        stop_reason: 'end_turn',
        usage: { output_tokens: 5 },
      });
    });

    it('beta.messages.create (?beta=true, anthropic-beta)', async () => {
      const message = await client(sdk, { apiKey: f.key }).beta.messages.create({
        ...HELLO,
        betas: ['context-management-2025-06-27'],
      });
      expect(message.content).toEqual([{ type: 'text', text: 'Echo: Hello, Claude' }]);
    });

    it('models.list', async () => {
      const ids: string[] = [];
      for await (const model of client(sdk, { apiKey: f.key }).models.list()) ids.push(model.id);
      // Listed by the demos' models and the gateway's mock alike.
      expect(ids).toContain('claude-haiku-4-5');
    });

    it('AuthenticationError for a wrong key', async () => {
      const attempts = countingFetch();
      const promise = client(sdk, { apiKey: f.wrongKey, fetch: attempts.fetch }).messages.create(
        HELLO,
      );
      await sdkError(promise, sdk.errors.AuthenticationError, 401);
      expect(attempts.count()).toBe(1);
    });

    it('BadRequestError for an unknown anthropic-version (defaultHeaders)', async () => {
      const promise = client(sdk, {
        apiKey: f.key,
        defaultHeaders: { 'anthropic-version': '2020-01-01' },
      }).messages.create(HELLO);
      const error = await sdkError(promise, sdk.errors.BadRequestError, 400);
      expect(error.message).toContain('supported versions: 2026-10-21, 2023-06-01');
    });

    it('PermissionDeniedError for a workspace key on another workspace', async () => {
      const promise = client(sdk, {
        apiKey: f.workspaceKey,
        defaultHeaders: { 'anthropic-workspace-id': f.otherWorkspaceId },
      }).messages.create(HELLO);
      await sdkError(promise, sdk.errors.PermissionDeniedError, 403);
    });

    it("RateLimitError, and the SDK's own retry honours retry-after", async () => {
      const noRetry = client(sdk, { apiKey: f.rateLimitedKey, maxRetries: 0 });
      await noRetry.messages.create(HELLO);
      const error = await sdkError(noRetry.messages.create(HELLO), sdk.errors.RateLimitError, 429);
      expect(header(error, 'retry-after')).toBe('1');

      const attempts = countingFetch();
      const retrying = client(sdk, { apiKey: f.rateLimitedKey, fetch: attempts.fetch });
      const started = performance.now();
      const message = await retrying.messages.create(HELLO);
      expect(message.content).toEqual([{ type: 'text', text: 'Echo: Hello, Claude' }]);
      expect(attempts.count()).toBe(2);
      // retry-after: 1 → about a second, not the SDK's own 0.5 s first backoff.
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    });

    it('a spend-limit 429 (x-should-retry: false) is not retried', async () => {
      await client(sdk, { apiKey: f.spendLimitedKey }).messages.create(HELLO);
      const attempts = countingFetch();
      const promise = client(sdk, {
        apiKey: f.spendLimitedKey,
        maxRetries: 3,
        fetch: attempts.fetch,
      }).messages.create(HELLO);
      const error = await sdkError(promise, sdk.errors.RateLimitError, 429);
      expect(header(error, 'x-should-retry')).toBe('false');
      expect(attempts.count()).toBe(1);
    });
  });
});
