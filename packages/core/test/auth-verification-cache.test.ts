import { ConfigurationError, VerificationCache, type ApiKeyRecord } from '@claude-auth/core';
import { describe, expect, it } from 'vitest';
import { sampleKeyRecord } from '../../testing/src/index.js';

function record(id: string): ApiKeyRecord {
  const at = new Date(0);
  return sampleKeyRecord({ id, name: id, hash: `hash-${id}`, createdAt: at, updatedAt: at });
}

function cacheWith(options: ConstructorParameters<typeof VerificationCache>[0] = {}) {
  let t = 1_000_000;
  const cache = new VerificationCache({ now: () => t, ...options });
  return { cache, advance: (ms: number) => void (t += ms) };
}

describe('VerificationCache', () => {
  it('answers found keys for ttlMs, then misses', () => {
    const { cache, advance } = cacheWith({ ttlMs: 5_000 });
    const r = record('key_a');
    expect(cache.get('h1')).toBeUndefined();
    cache.set('h1', r);
    advance(4_999);
    expect(cache.get('h1')).toBe(r);
    advance(1);
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, negativeHits: 0, size: 0 });
  });

  it('answers unknown hashes for negativeTtlMs only', () => {
    const { cache, advance } = cacheWith({ ttlMs: 5_000, negativeTtlMs: 1_000 });
    cache.set('nope', null);
    expect(cache.get('nope')).toBeNull();
    advance(1_000);
    expect(cache.get('nope')).toBeUndefined();
    expect(cache.stats().negativeHits).toBe(1);
  });

  it('evicts every hash of a key by id (current and previous secret)', () => {
    const { cache } = cacheWith();
    const r = record('key_a');
    cache.set('current', r);
    cache.set('previous', r);
    cache.set('other', record('key_b'));
    cache.evictKey('key_a');
    expect(cache.get('current')).toBeUndefined();
    expect(cache.get('previous')).toBeUndefined();
    expect(cache.get('other')).toBeDefined();
    expect(cache.stats().evictions).toBe(2);
  });

  it('drops a stale answer that raced with an eviction', () => {
    const { cache } = cacheWith();
    const generation = cache.generation;
    cache.evictKey('key_a'); // revoked while the store lookup was in flight
    cache.set('h', record('key_a'), generation);
    expect(cache.get('h')).toBeUndefined();
    cache.set('h', record('key_a'), cache.generation);
    expect(cache.get('h')).toBeDefined();
  });

  it('stays within maxEntries, dropping the oldest first', () => {
    const { cache } = cacheWith({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) cache.set(id, record(`key_${id}`));
    expect(cache.stats().size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toBeDefined();
    cache.evictKey('key_a'); // its index entry went with it: nothing left to evict
    expect(cache.stats().size).toBe(3);
  });

  it('clear() forgets everything and resetStats() zeroes the counters', () => {
    const { cache } = cacheWith();
    cache.set('h', record('key_a'));
    cache.get('h');
    cache.clear();
    expect(cache.get('h')).toBeUndefined();
    cache.resetStats();
    expect(cache.stats()).toEqual({
      hits: 0,
      negativeHits: 0,
      misses: 0,
      evictions: 0,
      size: 0,
      keyIds: 0,
    });
  });

  it.each([
    [{ ttlMs: 10_001 }],
    [{ ttlMs: -1 }],
    [{ ttlMs: 1.5 }],
    [{ negativeTtlMs: 20_000 }],
    [{ maxEntries: 0 }],
  ])('refuses %j with ConfigurationError', (options) => {
    expect(() => new VerificationCache(options)).toThrow(ConfigurationError);
  });
});
