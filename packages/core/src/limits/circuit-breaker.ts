/**
 * A circuit breaker for one backing service (or one role of it): after a failure it answers
 * "unavailable" at once instead of letting every caller wait for the service's timeout, and probes
 * the service in the background until it answers again. It knows no framework and no driver.
 */
import type { Logger } from '../auth/types.js';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Names the service in the two log lines, e.g. `Redis rate limiter`. Never a URL. */
  name: string;
  /**
   * Checks whether the service answers again (e.g. a Redis `PING` under the client's command
   * timeout). Resolving closes the breaker; rejecting keeps it open until the next probe.
   */
  probe: () => Promise<unknown>;
  /** Time between two background probes while open. Default 500 ms. */
  probeIntervalMs?: number;
  /**
   * Whether an error means the service is unavailable (opens the breaker). Other errors (e.g. a
   * bad argument) pass through without opening it. Default: every error.
   */
  isOutage?: (error: unknown) => boolean;
  /** Receives one warning when the breaker opens and one info line when it closes. */
  logger?: Logger;
}

/** `closed`: calls go through. `open`: calls fail at once while a background probe runs. */
export type CircuitState = 'closed' | 'open';

/**
 * Thrown by {@link CircuitBreaker.run} while the breaker is open, without calling the service.
 * Callers map it as they map the service's own unavailability (fallback, or a 503).
 *
 * @example
 * ```ts
 * try {
 *   await breaker.run(() => redis.get(key));
 * } catch (error) {
 *   if (error instanceof CircuitOpenError) return fallback(); // known down: no wait
 *   throw error;
 * }
 * ```
 */
export class CircuitOpenError extends Error {
  readonly code = 'CLAUDE_AUTH_CIRCUIT_OPEN';
  constructor(name: string, options?: { cause?: unknown }) {
    super(`${name} unavailable (circuit open)`, options);
    this.name = 'CircuitOpenError';
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name} ${code}` : error.name;
  }
  return typeof error;
}

/**
 * One breaker per backing service role. While closed, {@link run} calls through; the first
 * outage error opens it (one warning in the log). While open, {@link run} rejects at once with
 * {@link CircuitOpenError} and a background probe runs every `probeIntervalMs` (its timer is
 * `unref`'d); the first successful probe closes it (one info line). Calls already in flight when
 * it opens settle on their own. {@link close} stops the probe.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({
 *   name: 'Redis rate limiter',
 *   probe: () => redis.ping(),
 *   logger: console,
 * });
 * try {
 *   return await breaker.run(() => redis.get(key));
 * } catch (error) {
 *   return fallback(); // CircuitOpenError at once while Redis is known to be down
 * }
 * ```
 */
export class CircuitBreaker {
  readonly name: string;
  readonly #probe: () => Promise<unknown>;
  readonly #probeIntervalMs: number;
  readonly #isOutage: (error: unknown) => boolean;
  readonly #logger: Logger | undefined;
  #state: CircuitState = 'closed';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastError: unknown;
  #openedAt = 0;
  #outages = 0;
  #closed = false;

  constructor(options: CircuitBreakerOptions) {
    const interval = options.probeIntervalMs ?? 500;
    if (!Number.isFinite(interval) || interval <= 0) {
      throw new TypeError('CircuitBreaker: probeIntervalMs must be a positive number');
    }
    this.name = options.name;
    this.#probe = options.probe;
    this.#probeIntervalMs = interval;
    this.#isOutage = options.isOutage ?? (() => true);
    this.#logger = options.logger;
  }

  /** `open` while the service is known to be unavailable. */
  get state(): CircuitState {
    return this.#state;
  }

  /** How many times the breaker has opened since it was made (for tests and metrics). */
  get outages(): number {
    return this.#outages;
  }

  /**
   * Calls `fn` while closed; rejects at once with {@link CircuitOpenError} while open. An outage
   * error from `fn` opens the breaker and is rethrown unchanged.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#state === 'open') throw new CircuitOpenError(this.name, { cause: this.#lastError });
    try {
      return await fn();
    } catch (error) {
      if (this.#isOutage(error)) this.trip(error);
      throw error;
    }
  }

  /** Opens the breaker (if closed) because of `error`: for failures seen outside {@link run}. */
  trip(error: unknown): void {
    this.#lastError = error;
    if (this.#state === 'open' || this.#closed) return;
    this.#state = 'open';
    this.#outages++;
    this.#openedAt = Date.now();
    this.#logger?.warn(
      `claude-auth: ${this.name} unavailable; failing fast and probing in the background`,
      {
        error: describe(error),
      },
    );
    this.#schedule();
  }

  /** Stops the background probe; the breaker then stays in its current state. Idempotent. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#runProbe(), this.#probeIntervalMs);
    this.#timer.unref?.();
  }

  async #runProbe(): Promise<void> {
    this.#timer = undefined;
    try {
      await this.#probe();
    } catch (error) {
      this.#lastError = error;
      this.#schedule();
      return;
    }
    if (this.#state !== 'open') return;
    this.#state = 'closed';
    this.#lastError = undefined;
    this.#logger?.info?.(`claude-auth: ${this.name} available again`, {
      downMs: Date.now() - this.#openedAt,
    });
  }
}
