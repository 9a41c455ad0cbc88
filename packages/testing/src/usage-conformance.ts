/** Conformance cases for `KeyStore.addUsage` / `listUsage`, run inside the key store suite. */
import { newKeyId, newWorkspaceId, type KeyStore, type UsageIncrement } from '@claude-auth/core';
import { describe, expect, it } from 'vitest';
import { expectInvalidRequest } from './store-assertions.js';

const HOUR = '2025-05-06T10:00:00Z';
const NEXT = '2025-05-06T11:00:00Z';

function row(overrides: Partial<UsageIncrement> = {}): UsageIncrement {
  return {
    keyId: 'key_x',
    workspaceId: null,
    model: 'claude-sonnet-4-5',
    bucket: HOUR,
    requests: 1,
    inputTokens: 10,
    outputTokens: 20,
    cacheCreationInputTokens: 3,
    cacheReadInputTokens: 4,
    costNanos: 123_456,
    ...overrides,
  };
}

/**
 * The usage-bucket cases (`addUsage`, `listUsage`), which every store must pass.
 *
 * @example
 * ```ts
 * describe('usage buckets', () => runUsageConformance(() => store));
 * ```
 */
export function runUsageConformance(getStore: () => KeyStore): void {
  describe('usage buckets', () => {
    it('adds increments per key x workspace x model x hour and lists a range in order', async () => {
      const store = getStore();
      const keyId = newKeyId();
      const workspaceId = newWorkspaceId();
      await store.addUsage([
        row({ keyId, workspaceId }),
        row({ keyId, workspaceId }),
        row({ keyId, workspaceId, model: 'claude-haiku-4-5' }),
        row({ keyId, workspaceId, bucket: NEXT, costNanos: 2 ** 40 }),
        row({ keyId, workspaceId: null }),
      ]);
      await store.addUsage([row({ keyId, workspaceId, requests: 5, inputTokens: 1 })]);
      await store.addUsage([]);
      const all = await store.listUsage({
        from: '2025-05-06T00:00:00Z',
        to: '2025-05-07T00:00:00Z',
        keyId,
      });
      expect(all.map((b) => [b.bucket, b.workspaceId, b.model, b.requests])).toEqual([
        [HOUR, null, 'claude-sonnet-4-5', 1],
        [HOUR, workspaceId, 'claude-haiku-4-5', 1],
        [HOUR, workspaceId, 'claude-sonnet-4-5', 7],
        [NEXT, workspaceId, 'claude-sonnet-4-5', 1],
      ]);
      expect(all[2]).toEqual(
        row({
          keyId,
          workspaceId,
          requests: 7,
          inputTokens: 21,
          outputTokens: 60,
          cacheCreationInputTokens: 9,
          cacheReadInputTokens: 12,
          costNanos: 3 * 123_456,
        }),
      );
      expect(all[3]!.costNanos).toBe(2 ** 40);
      const oneHour = await store.listUsage({ from: HOUR, to: NEXT, workspaceId });
      expect(oneHour.map((b) => b.model)).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5']);
      const byModel = await store.listUsage({
        from: HOUR,
        to: '2025-05-06T12:00:00Z',
        keyId,
        model: 'claude-haiku-4-5',
      });
      expect(byModel).toHaveLength(1);
    });

    it('adds concurrent batches from several instances exactly', async () => {
      const store = getStore();
      const keyId = newKeyId();
      await Promise.all(
        Array.from({ length: 40 }, () =>
          store.addUsage([row({ keyId }), row({ keyId, bucket: NEXT })]),
        ),
      );
      const all = await store.listUsage({ from: HOUR, to: '2025-05-06T12:00:00Z', keyId });
      expect(all.map((b) => b.requests)).toEqual([40, 40]);
      expect(all[0]!.costNanos).toBe(40 * 123_456);
    });

    it.each([
      ['a negative count', { inputTokens: -1 }],
      ['a fractional cost', { costNanos: 1.5 }],
      ['a bucket that is not an hour', { bucket: '2025-05-06T10:30:00Z' }],
      ['an empty model', { model: '' }],
      ['an empty key id', { keyId: '' }],
    ])('rejects %s and applies nothing of the batch', async (_label, bad) => {
      const store = getStore();
      const keyId = newKeyId();
      await expectInvalidRequest(store.addUsage([row({ keyId }), row({ keyId, ...bad })]));
      expect(await store.listUsage({ from: HOUR, to: NEXT, keyId })).toEqual([]);
    });

    it('rejects a query without valid bounds', async () => {
      const store = getStore();
      await expectInvalidRequest(store.listUsage({ from: 'yesterday', to: NEXT }));
    });
  });
}
