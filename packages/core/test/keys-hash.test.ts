import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashKey, safeEqual } from '../src/keys/hash.js';
import { generateApiKey } from '../src/keys/key-format.js';

describe('hashKey', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('hashes %j to the SHA-256 test vector', (input, expected) => {
    expect(hashKey(input)).toBe(expected);
  });

  it('returns 64 lower-case hex characters that do not contain the secret', () => {
    const secret = generateApiKey();
    const hash = hashKey(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hash).not.toContain(secret.slice(13, 30));
  });
});

describe('safeEqual', () => {
  const a = hashKey('a');
  it.each([
    [a, a, true],
    ['', '', true],
    [a, hashKey('b'), false],
    [a, a.slice(0, -1), false],
    [a, `${a}0`, false],
    ['', a, false],
    ['é', 'e', false],
    [a.toUpperCase(), a, false],
  ])('safeEqual(%j, %j) is %s', (x, y, expected) => {
    expect(safeEqual(x, y)).toBe(expected);
    expect(safeEqual(y, x)).toBe(expected);
  });
});
