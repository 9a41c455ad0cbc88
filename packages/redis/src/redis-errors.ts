import { LimiterUnavailableError, StoreUnavailableError } from '@claude-auth/core/store';

function reason(error: unknown): string {
  if (error instanceof Error) {
    // By name, so it works across bundle copies of core.
    if (error.name === 'CircuitOpenError') return 'circuit open';
    if (/timed out/i.test(error.message)) return 'timeout';
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (/writeable|closed|connection/i.test(error.message)) return 'not connected';
    return error.name;
  }
  return 'unknown error';
}

/**
 * Wraps any Redis failure (timeout, refused connection, offline) as `LimiterUnavailableError`.
 *
 * @example
 * ```ts
 * try { await redis.get(k); } catch (error) { throw toLimiterError(error); }
 * ```
 */
export function toLimiterError(error: unknown): LimiterUnavailableError {
  if (error instanceof LimiterUnavailableError) return error;
  return new LimiterUnavailableError(`Redis rate limiter unavailable (${reason(error)})`, {
    cause: error,
  });
}

/**
 * Wraps any Redis failure as `StoreUnavailableError` (spend ledger, invalidation bus: a 503).
 *
 * @example
 * ```ts
 * try { await redis.publish(channel, message); } catch (error) { throw toStoreError(error, 'invalidation bus'); }
 * ```
 */
export function toStoreError(error: unknown, what: string): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  return new StoreUnavailableError(`Redis ${what} unavailable (${reason(error)})`, {
    cause: error,
  });
}
