import { describe, expect, it } from 'vitest';
import { BASE62_ALPHABET, encodeBase62, randomBase62 } from '../src/keys/base62.js';
import { crc32, crc32Fallback } from '../src/keys/crc32.js';
import { KEY_ID_PATTERN, WORKSPACE_ID_PATTERN, newKeyId, newWorkspaceId } from '../src/keys/ids.js';

describe('ids', () => {
  it.each([
    ['newKeyId', newKeyId, KEY_ID_PATTERN],
    ['newWorkspaceId', newWorkspaceId, WORKSPACE_ID_PATTERN],
  ])('%s produces distinct, well-formed ids', (_name, make, pattern) => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = make();
      expect(id).toMatch(pattern);
      ids.add(id);
    }
    expect(ids.size).toBe(10_000);
  });
});

describe('base62', () => {
  it.each([
    [0, 0, '0'],
    [0, 3, '000'],
    [61, 0, 'z'],
    [62, 0, '10'],
    [3843, 2, 'zz'],
    [0xffffffff, 6, '4gfFC3'],
  ])('encodeBase62(%i, %i) is %s', (value, width, expected) => {
    expect(encodeBase62(value, width)).toBe(expected);
  });

  it.each([[-1], [1.5], [Number.NaN], [2 ** 60]])('encodeBase62 rejects %s', (value) => {
    expect(() => encodeBase62(value)).toThrow(RangeError);
  });

  it.each([[0], [1], [24], [43], [1000]])(
    'randomBase62(%i) has that length and only base62',
    (n) => {
      const value = randomBase62(n);
      expect(value).toHaveLength(n);
      for (const c of value) expect(BASE62_ALPHABET).toContain(c);
    },
  );
});

describe('crc32', () => {
  it.each([
    ['', 0],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
    ['é', crc32Fallback(Buffer.from('é', 'utf8'))],
  ])('crc32(%j) is %i for both implementations', (input, expected) => {
    expect(crc32(input)).toBe(expected);
    expect(crc32Fallback(input)).toBe(expected);
  });

  it('native and fallback agree on random inputs', () => {
    for (let i = 0; i < 200; i++) {
      const s = randomBase62(i);
      expect(crc32(s)).toBe(crc32Fallback(s));
    }
  });
});
