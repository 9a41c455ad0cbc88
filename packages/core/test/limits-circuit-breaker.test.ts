import { CircuitBreaker, CircuitOpenError } from '../src/limits/circuit-breaker.js';
import type { Logger } from '@claude-auth/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const logger: Logger = {
    info: (message) => void lines.push({ level: 'info', message }),
    warn: (message) => void lines.push({ level: 'warn', message }),
    error: (message) => void lines.push({ level: 'error', message }),
  };
  return { logger, lines };
}

describe('CircuitBreaker', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls through while closed and passes results and non-outage errors unchanged', async () => {
    const breaker = new CircuitBreaker({
      name: 'svc',
      probe: async () => undefined,
      isOutage: (error) => !(error instanceof RangeError),
    });
    expect(await breaker.run(async () => 42)).toBe(42);
    await expect(breaker.run(() => Promise.reject(new RangeError('bad input')))).rejects.toThrow(
      RangeError,
    );
    expect(breaker.state).toBe('closed');
    breaker.close();
  });

  it('opens on an outage, fails fast without calling the service, logs once, then closes after a successful probe', async () => {
    vi.useFakeTimers();
    const { logger, lines } = recordingLogger();
    let up = false;
    const probe = vi.fn(async () => {
      if (!up) throw new Error('still down');
    });
    const breaker = new CircuitBreaker({
      name: 'Redis thing',
      probe,
      probeIntervalMs: 100,
      logger,
    });
    const outage = Object.assign(new Error('Command timed out'), { code: 'ETIMEDOUT' });
    await expect(breaker.run(() => Promise.reject(outage))).rejects.toBe(outage);
    expect(breaker.state).toBe('open');

    const service = vi.fn(async () => 'called');
    for (let i = 0; i < 50; i++) {
      await expect(breaker.run(service)).rejects.toBeInstanceOf(CircuitOpenError);
    }
    expect(service).not.toHaveBeenCalled();
    const error = await breaker.run(service).catch((e: unknown) => e);
    expect((error as Error).message).toBe('Redis thing unavailable (circuit open)');
    expect((error as Error).cause).toBe(outage);

    await vi.advanceTimersByTimeAsync(350);
    expect(probe).toHaveBeenCalledTimes(3);
    expect(breaker.state).toBe('open');
    up = true;
    await vi.advanceTimersByTimeAsync(100);
    expect(breaker.state).toBe('closed');
    expect(await breaker.run(service)).toBe('called');
    // A second outage logs once more.
    breaker.trip(outage);
    breaker.trip(outage);
    expect(breaker.outages).toBe(2);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'claude-auth: Redis thing unavailable; failing fast and probing in the background',
      },
      { level: 'info', message: 'claude-auth: Redis thing available again' },
      {
        level: 'warn',
        message: 'claude-auth: Redis thing unavailable; failing fast and probing in the background',
      },
    ]);
    breaker.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(probe).toHaveBeenCalledTimes(4);
  });

  it('never logs error details beyond the error name and code', async () => {
    const { logger } = recordingLogger();
    const warn = vi.spyOn(logger, 'warn');
    const breaker = new CircuitBreaker({ name: 'svc', probe: async () => undefined, logger });
    breaker.trip(new Error('redis://user:secret@host failed'));
    expect(JSON.stringify(warn.mock.calls)).not.toContain('secret');
    breaker.close();
  });

  it('rejects a non-positive probe interval', () => {
    expect(
      () => new CircuitBreaker({ name: 'svc', probe: async () => undefined, probeIntervalMs: 0 }),
    ).toThrow(/probeIntervalMs/);
  });
});
