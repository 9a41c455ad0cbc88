import { describe, expect, it } from 'vitest';
import {
  MemoryKeyStore,
  UsageBatcher,
  type ClaudeAuth,
  type ProxyUsage,
  type UsageIncrement,
} from '@claude-auth/core';
import { usageBucketStart } from '../src/store/usage-buckets.js';

const auth = { keyId: 'key_1', workspaceId: 'wrkspc_1' } as ClaudeAuth;
const reply = (costUsd: number, model = 'claude-sonnet-4-5'): ProxyUsage => ({
  auth,
  model,
  usage: { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 5 },
  costUsd,
  streamed: false,
});
const now = () => new Date('2026-11-30T09:41:07Z');

describe('UsageBatcher', () => {
  it('sums replies per key x workspace x model x hour and writes them in one batch', async () => {
    const store = new MemoryKeyStore();
    const batcher = new UsageBatcher({ store, flushIntervalMs: 0, now });
    batcher.record(reply(0.000_001));
    batcher.record(reply(0.000_002));
    batcher.record(reply(1, 'claude-haiku-4-5'));
    expect(
      await store.listUsage({ from: '2026-11-30T00:00:00Z', to: '2026-12-01T00:00:00Z' }),
    ).toEqual([]);
    await batcher.close();
    const rows = await store.listUsage({
      from: '2026-11-30T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    });
    expect(rows).toEqual([
      expect.objectContaining({ model: 'claude-haiku-4-5', requests: 1, costNanos: 1e9 }),
      expect.objectContaining({
        keyId: 'key_1',
        workspaceId: 'wrkspc_1',
        model: 'claude-sonnet-4-5',
        bucket: '2026-11-30T09:00:00Z',
        requests: 2,
        inputTokens: 20,
        outputTokens: 40,
        cacheReadInputTokens: 10,
        cacheCreationInputTokens: 0,
        costNanos: 3000,
      }),
    ]);
  });

  it('puts each reply in the hour it ended in, across hour boundaries either way', async () => {
    const store = new MemoryKeyStore();
    const times = [
      '2026-11-30T09:59:59.999Z',
      '2026-11-30T10:00:00.000Z',
      '2026-11-30T10:30:00.000Z',
      '2026-11-30T09:00:00.000Z', // a clock set back
      '2026-11-30T08:59:59.999Z',
    ];
    let next = 0;
    const batcher = new UsageBatcher({
      store,
      flushIntervalMs: 0,
      now: () => new Date(times[next++]!),
    });
    for (let i = 0; i < times.length; i++) batcher.record(reply(0.000_001));
    await batcher.close();
    const rows = await store.listUsage({
      from: '2026-11-30T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    });
    expect(
      rows
        .map((row) => [row.bucket, row.requests])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ).toEqual([
      ['2026-11-30T08:00:00Z', 1],
      ['2026-11-30T09:00:00Z', 2],
      ['2026-11-30T10:00:00Z', 2],
    ]);
  });

  it('keeps the usage of a failed write for the next flush', async () => {
    const written: UsageIncrement[][] = [];
    let fail = true;
    const store = {
      addUsage: (rows: ReadonlyArray<UsageIncrement>) => {
        if (fail) return Promise.reject(new Error('store down'));
        written.push([...rows]);
        return Promise.resolve();
      },
    };
    const warnings: string[] = [];
    const batcher = new UsageBatcher({
      store,
      flushIntervalMs: 0,
      now,
      logger: { warn: (message) => void warnings.push(message) },
    });
    batcher.record(reply(0.5));
    await batcher.flush();
    expect(warnings).toHaveLength(1);
    batcher.record(reply(0.5));
    fail = false;
    await batcher.close();
    expect(written).toEqual([[expect.objectContaining({ requests: 2, costNanos: 1e9 })]]);
  });

  it('names hourly buckets in UTC', () => {
    expect(usageBucketStart(new Date('2026-01-02T23:59:59.999Z'))).toBe('2026-01-02T23:00:00Z');
  });
});
