import { ConfigurationError, KeyManager, MemoryKeyStore, loadConfig } from '@claude-auth/core';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../src/create-runtime.js';
import { loadPeer } from '../src/load-peer.js';
import { openStore, parseStoreUrl } from '../src/open-store.js';

const HEADERS = { 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };

describe('memory: store', () => {
  it('parses and opens as a MemoryKeyStore', async () => {
    expect(parseStoreUrl('memory:')).toEqual({ kind: 'memory' });
    expect(parseStoreUrl(' memory: ')).toEqual({ kind: 'memory' });
    expect(await openStore('memory:')).toBeInstanceOf(MemoryKeyStore);
  });

  it('refuses memory:<anything> with the accepted forms', () => {
    expect(() => parseStoreUrl('memory:x')).toThrow(/Unsupported store URL/);
  });
});

describe('runtime.createAuthenticator', () => {
  it('authenticates a key from the runtime store; overrides apply on top', async () => {
    const config = loadConfig({ env: { CLAUDE_AUTH_STORE_URL: 'memory:' } });
    const runtime = await createRuntime(config);
    const keys = new KeyManager({ store: runtime.store, usageFlushIntervalMs: 0 });
    const authenticator = runtime.createAuthenticator();
    const bearerOnly = runtime.createAuthenticator({ credentials: ['bearer'] });
    try {
      const { secret } = await keys.createKey({ name: 'factory' });
      const request = {
        method: 'POST',
        url: '/v1/messages',
        headers: { ...HEADERS, 'x-api-key': secret },
      };
      const accepted = await authenticator.authenticate(request);
      expect(accepted.ok).toBe(true);
      const refused = await bearerOnly.authenticate(request);
      expect(refused.ok).toBe(false);
      expect(refused.ok ? 0 : refused.error.status).toBe(401);
    } finally {
      await authenticator.close();
      await bearerOnly.close();
      await keys.close();
      await runtime.close();
    }
  });
});

describe('optional drivers', () => {
  it('names the package to install when an optional driver is missing', async () => {
    const missing = '@claude-auth/not-installed-driver';
    const error = await loadPeer('@claude-auth/redis', 'redisUrl', () =>
      import(missing).catch((cause: unknown) => {
        // the resolution error of a package that is not there, worded as for @claude-auth/redis
        const e = cause as Error & { code?: string };
        throw Object.assign(new Error(e.message.replace(missing, '@claude-auth/redis')), {
          code: e.code,
        });
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'CLAUDE_AUTH_DRIVER_MISSING', field: 'redisUrl' });
    expect((error as Error).message).toContain('npm install @claude-auth/redis');
  });

  it('rethrows any other failure of the driver as it is', async () => {
    const boom = new Error('the driver threw while loading');
    await expect(
      loadPeer('@claude-auth/postgres', 'storeUrl', () => Promise.reject(boom)),
    ).rejects.toBe(boom);
  });
});
