import { performance } from 'node:perf_hooks';
import { send, type Exchange, type SendOptions } from './http.js';

/** The first response that matched, and when. */
export interface PollResult {
  res: Exchange;
  /** `performance.now()` when the matching response had fully arrived. */
  at: number;
  polls: number;
}

/**
 * Sends `url` every `intervalMs` (one request at a time) until a response satisfies `done`, or
 * rejects after `deadlineMs`. Poll starts are spaced by `intervalMs` from each other.
 *
 * @example
 * ```ts
 * const { at } = await pollUntil(`${b.url}/v1/models`, { headers }, (res) => res.status === 401);
 * ```
 */
export async function pollUntil(
  url: string,
  options: SendOptions,
  done: (res: Exchange) => boolean,
  { intervalMs = 20, deadlineMs = 5000 }: { intervalMs?: number; deadlineMs?: number } = {},
): Promise<PollResult> {
  const deadline = performance.now() + deadlineMs;
  let polls = 0;
  for (;;) {
    const startedAt = performance.now();
    const res = await send(url, { ...options, timeoutMs: Math.max(100, deadline - startedAt) });
    polls += 1;
    if (done(res)) return { res, at: startedAt + res.ms, polls };
    if (performance.now() > deadline) {
      throw new Error(
        `no matching response from ${url} within ${deadlineMs} ms (last status ${res.status})`,
      );
    }
    const wait = startedAt + intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
