import { runKeyStoreConformance } from '../../testing/src/index.js';
import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../src/keys/key-format.js';
import { hashKey } from '../src/keys/hash.js';
import { MemoryKeyStore } from '../src/store/memory-key-store.js';

runKeyStoreConformance('MemoryKeyStore', async () => ({ store: new MemoryKeyStore() }));

describe('MemoryKeyStore', () => {
  it('judges previous-hash expiry with the injected clock when no time is passed', async () => {
    let now = new Date('2025-01-01T00:00:00Z');
    const store = new MemoryKeyStore({ now: () => now });
    const oldHash = hashKey(generateApiKey());
    await store.createKey({
      id: 'key_a',
      name: 'a',
      hint: 'cla_api_live_…abcd',
      hash: hashKey(generateApiKey()),
      previousHash: oldHash,
      previousHashExpiresAt: new Date('2025-01-01T00:01:00Z'),
      kind: 'api',
      environment: 'live',
      workspaceId: null,
      permissions: [],
      status: 'active',
      createdAt: now,
      createdBy: null,
      updatedAt: now,
      lastUsedAt: null,
      expiresAt: null,
      rateLimit: null,
    });
    expect((await store.findKeyByHash(oldHash))?.id).toBe('key_a');
    now = new Date('2025-01-01T00:01:00Z');
    expect(await store.findKeyByHash(oldHash)).toBeNull();
  });

  it('rejects a malformed pagination cursor with an InvalidRequestError', async () => {
    const store = new MemoryKeyStore();
    await expect(store.listKeys({ after: 'not-a-cursor' })).rejects.toMatchObject({ status: 400 });
  });
});
