import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultMemoryStore } from '../src/auth/default-memory-store.js';
import { createAuthenticator, MemoryKeyStore, type Logger } from '../src/index.js';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (message) => warnings.push(message), error: () => undefined };
}

describe('createAuthenticator() without a store', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
    vi.restoreAllMocks();
  });

  it('outside tests, warns once per logger that keys live in memory', async () => {
    process.env.NODE_ENV = 'production';
    const logger = recordingLogger();
    const first = createAuthenticator({ logger });
    const second = createAuthenticator({ logger });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/no `store` given.*memory.*lost when the process exits/);
    expect(first.keys).toBeDefined();
    await Promise.all([first.close(), second.close()]);
  });

  it('stays quiet with an explicit store, memory included, and under NODE_ENV=test', async () => {
    process.env.NODE_ENV = 'production';
    const logger = recordingLogger();
    const explicit = createAuthenticator({ logger, store: new MemoryKeyStore() });
    expect(logger.warnings).toEqual([]);
    process.env.NODE_ENV = 'test';
    const underTest = createAuthenticator({ logger });
    expect(logger.warnings).toEqual([]);
    await Promise.all([explicit.close(), underTest.close()]);
  });

  it('goes to console by default, once per process', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    defaultMemoryStore(console, Date.now, { NODE_ENV: 'production' });
    defaultMemoryStore(console, Date.now, { NODE_ENV: 'production' });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
