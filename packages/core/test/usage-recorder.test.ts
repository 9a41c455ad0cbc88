import { describe, expect, it, vi } from 'vitest';
import { UsageRecorder, type UsageRecorderOptions } from '../src/manager/usage-recorder.js';
import type { RequestCountIncrement } from '../src/store/key-store.js';
import { MemoryKeyStore } from '../src/store/memory-key-store.js';

const MARCH = Date.UTC(2025, 2, 31, 23, 59, 59, 999);
const APRIL = MARCH + 1;

function setup(options: Partial<UsageRecorderOptions> = {}) {
  let now = MARCH;
  const clock = { now: () => new Date(now), set: (ms: number) => void (now = ms) };
  const store = new MemoryKeyStore();
  const add = vi.spyOn(store, 'addRequestCounts');
  const touch = vi.spyOn(store, 'touchKeys');
  const recorder = new UsageRecorder({ store, now: clock.now, flushIntervalMs: 0, ...options });
  return { recorder, store, add, touch, clock };
}

const sorted = (counts: readonly RequestCountIncrement[]) =>
  [...counts].sort((a, b) =>
    `${a.workspaceId}${a.period}`.localeCompare(`${b.workspaceId}${b.period}`),
  );

describe('UsageRecorder: request counts', () => {
  it('counts in memory and writes one batch of increments per flush, split by UTC month', async () => {
    const { recorder, store, add } = setup();
    for (let i = 0; i < 1000; i++) recorder.countRequest('wrkspc_a', new Date(MARCH));
    recorder.countRequest('wrkspc_b', new Date(MARCH));
    recorder.countRequest('wrkspc_a', new Date(APRIL));
    expect(add).not.toHaveBeenCalled();
    expect(recorder.pendingRequests('wrkspc_a', '2025-03')).toBe(1000);
    expect(recorder.pendingRequests('wrkspc_a', '2025-04')).toBe(1);

    await recorder.flush();
    expect(add).toHaveBeenCalledTimes(1);
    expect(sorted(add.mock.calls[0]![0])).toEqual([
      { workspaceId: 'wrkspc_a', period: '2025-03', requests: 1000 },
      { workspaceId: 'wrkspc_a', period: '2025-04', requests: 1 },
      { workspaceId: 'wrkspc_b', period: '2025-03', requests: 1 },
    ]);
    expect(recorder.pendingRequests('wrkspc_a', '2025-03')).toBe(0);

    // Increments, not totals: the next flush adds to what is stored.
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    await recorder.flush();
    expect(add.mock.calls[1]![0]).toEqual([
      { workspaceId: 'wrkspc_a', period: '2025-03', requests: 1 },
    ]);
    expect(await store.getRequestCount('wrkspc_a', '2025-03')).toBe(1001);

    // Nothing pending: no store call at all.
    await recorder.flush();
    expect(add).toHaveBeenCalledTimes(2);
  });

  it('keeps the counts of a failed write and adds them to the next one; last_used_at is unaffected', async () => {
    const { recorder, store, add, touch } = setup();
    add.mockRejectedValueOnce(new Error('store down'));
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    recorder.record('key_1', new Date(MARCH));
    await expect(recorder.flush()).rejects.toThrow('store down');
    expect(touch).toHaveBeenCalledTimes(1);
    expect(recorder.pendingCount).toBe(0);
    expect(recorder.pendingRequests('wrkspc_a', '2025-03')).toBe(2);

    recorder.countRequest('wrkspc_a', new Date(MARCH));
    await recorder.flush();
    expect(add.mock.calls[1]![0]).toEqual([
      { workspaceId: 'wrkspc_a', period: '2025-03', requests: 3 },
    ]);
    expect(await store.getRequestCount('wrkspc_a', '2025-03')).toBe(3);
  });

  it('keeps counts while the store is down across many flushes, losing none', async () => {
    const { recorder, store, add } = setup();
    add.mockRejectedValue(new Error('down'));
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 10; i++) recorder.countRequest(`wrkspc_${i % 3}`, new Date(MARCH));
      await expect(recorder.flush()).rejects.toThrow('down');
    }
    add.mockRestore();
    await recorder.flush();
    const stored = await Promise.all(
      [0, 1, 2].map((i) => store.getRequestCount(`wrkspc_${i}`, '2025-03')),
    );
    expect(stored).toEqual([20, 15, 15]);
  });

  it('keeps last_used_at pending when touchKeys fails while the counts are written', async () => {
    const { recorder, store, touch } = setup();
    touch.mockRejectedValueOnce(new Error('touch down'));
    recorder.record('key_1', new Date(MARCH));
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    await expect(recorder.flush()).rejects.toThrow('touch down');
    expect(recorder.pendingCount).toBe(1);
    expect(await store.getRequestCount('wrkspc_a', '2025-03')).toBe(1);
  });

  it('bounds memory: beyond maxPendingCounts entries, new workspaces go uncounted and are reported', async () => {
    const onDropped = vi.fn();
    const { recorder, store, add } = setup({ maxPendingCounts: 2, onDropped });
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    recorder.countRequest('wrkspc_b', new Date(MARCH));
    recorder.countRequest('wrkspc_c', new Date(MARCH));
    recorder.countRequest('wrkspc_a', new Date(APRIL));
    // Existing entries still count.
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    expect(recorder.droppedRequests).toBe(2);
    await recorder.flush();
    expect(onDropped).toHaveBeenCalledWith(2);
    expect(await store.getRequestCount('wrkspc_a', '2025-03')).toBe(2);
    expect(await store.getRequestCount('wrkspc_c', '2025-03')).toBe(0);

    // A failed write's counts are kept within the same bound.
    add.mockRejectedValueOnce(new Error('down'));
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    recorder.countRequest('wrkspc_b', new Date(MARCH));
    const flushing = recorder.flush();
    recorder.countRequest('wrkspc_c', new Date(MARCH));
    recorder.countRequest('wrkspc_d', new Date(MARCH));
    await expect(flushing).rejects.toThrow('down');
    expect(onDropped).toHaveBeenLastCalledWith(2);
    await recorder.flush();
    const total = await Promise.all(
      ['a', 'b', 'c', 'd'].map((w) => store.getRequestCount(`wrkspc_${w}`, '2025-03')),
    );
    expect(total.reduce((a, b) => a + b, 0)).toBe(2 + 1 + 2);
    expect(onDropped).toHaveBeenCalledTimes(2);
  });

  it('moves a request between workspaces, only while it is unwritten', async () => {
    const { recorder, store } = setup();
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    recorder.moveRequest('wrkspc_a', 'wrkspc_b', new Date(MARCH));
    recorder.moveRequest(null, 'wrkspc_c', new Date(MARCH));
    recorder.moveRequest('wrkspc_c', null, new Date(MARCH));
    expect(recorder.pendingRequests('wrkspc_a', '2025-03')).toBe(0);
    expect(recorder.pendingRequests('wrkspc_b', '2025-03')).toBe(1);
    expect(recorder.pendingRequests('wrkspc_c', '2025-03')).toBe(0);
    await recorder.flush();
    // Already written: the source keeps its count, the target still gets one.
    recorder.moveRequest('wrkspc_b', 'wrkspc_a', new Date(MARCH));
    await recorder.flush();
    expect(await store.getRequestCount('wrkspc_a', '2025-03')).toBe(1);
    expect(await store.getRequestCount('wrkspc_b', '2025-03')).toBe(1);
  });

  it.each([
    ['an empty workspace id', '', new Date(MARCH)],
    ['an invalid date', 'wrkspc_a', new Date(Number.NaN)],
  ])('ignores %s', async (_label, workspaceId, at) => {
    const { recorder, add } = setup();
    recorder.countRequest(workspaceId, at);
    await recorder.flush();
    expect(add).not.toHaveBeenCalled();
  });

  it('writes pending counts on close() and counts nothing afterwards', async () => {
    const { recorder, store } = setup();
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    await recorder.close();
    expect(await store.getRequestCount('wrkspc_a', '2025-03')).toBe(1);
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    expect(recorder.pendingRequests('wrkspc_a', '2025-03')).toBe(0);
  });

  it('flushes counts on the background timer', async () => {
    vi.useFakeTimers();
    try {
      const { recorder, store } = setup({ flushIntervalMs: 1000 });
      recorder.countRequest('wrkspc_a', new Date(MARCH));
      await vi.advanceTimersByTimeAsync(999);
      expect(await store.getRequestCount('wrkspc_a', '2025-03')).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(await store.getRequestCount('wrkspc_a', '2025-03')).toBe(1);
      await recorder.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not count when the store cannot (no addRequestCounts)', async () => {
    const touchKeys = vi.fn(async () => undefined);
    const recorder = new UsageRecorder({
      store: { touchKeys },
      now: () => new Date(MARCH),
      flushIntervalMs: 0,
    });
    recorder.countRequest('wrkspc_a', new Date(MARCH));
    expect(recorder.pendingRequests('wrkspc_a', '2025-03')).toBe(0);
    await recorder.close();
    expect(touchKeys).not.toHaveBeenCalled();
  });

  it.each([[-1], [1.5], [Number.NaN]])('rejects maxPendingCounts %s', (maxPendingCounts) => {
    expect(() => setup({ maxPendingCounts })).toThrow(TypeError);
  });
});
