import { InvalidRequestError } from '../errors/claude-auth-error.js';
import type { RequestCountIncrement } from './key-store.js';

/** A UTC month, `YYYY-MM` (months 01 to 12). */
const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Longest workspace id a store accepts in a request count (ids are far shorter). */
const MAX_WORKSPACE_ID_LENGTH = 255;

/**
 * Checks a period (`YYYY-MM`) given to `getRequestCount`; throws `InvalidRequestError` otherwise.
 * Stores call it so that every implementation rejects the same inputs.
 *
 * @example
 * ```ts
 * assertPeriod('2025-03'); // ok
 * assertPeriod('2025-13'); // throws InvalidRequestError
 * ```
 */
export function assertPeriod(period: unknown): asserts period is string {
  if (typeof period !== 'string' || !PERIOD_PATTERN.test(period)) {
    throw new InvalidRequestError('period must be a UTC month, YYYY-MM');
  }
}

/**
 * Checks a whole `addRequestCounts` batch before any of it is applied: an array of entries with a
 * non-empty workspace id, a `YYYY-MM` period and a positive safe-integer `requests`. Throws
 * `InvalidRequestError` naming the first bad field (never echoing its value).
 *
 * @example
 * ```ts
 * assertRequestCounts([{ workspaceId: 'wrkspc_1', period: '2025-03', requests: 12 }]); // ok
 * assertRequestCounts([{ workspaceId: 'wrkspc_1', period: '2025-03', requests: 0 }]); // throws
 * ```
 */
export function assertRequestCounts(
  counts: unknown,
): asserts counts is ReadonlyArray<RequestCountIncrement> {
  if (!Array.isArray(counts)) throw new InvalidRequestError('Request counts must be an array');
  for (const entry of counts as unknown[]) {
    if (typeof entry !== 'object' || entry === null) {
      throw new InvalidRequestError('Each request count must be an object');
    }
    const { workspaceId, period, requests } = entry as Partial<
      Record<keyof RequestCountIncrement, unknown>
    >;
    if (
      typeof workspaceId !== 'string' ||
      workspaceId.length === 0 ||
      workspaceId.length > MAX_WORKSPACE_ID_LENGTH
    ) {
      throw new InvalidRequestError(
        `workspaceId must be a non-empty string of at most ${MAX_WORKSPACE_ID_LENGTH} characters`,
      );
    }
    assertPeriod(period);
    if (typeof requests !== 'number' || !Number.isSafeInteger(requests) || requests <= 0) {
      throw new InvalidRequestError('requests must be a positive integer');
    }
  }
}
