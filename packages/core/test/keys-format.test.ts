import { describe, expect, it } from 'vitest';
import { BASE62_ALPHABET } from '../src/keys/base62.js';
import {
  KEY_MAX_LENGTH,
  KEY_MIN_LENGTH,
  KEY_PATTERN,
  KEY_REGEX,
  generateApiKey,
  keyHint,
  parseApiKey,
} from '../src/keys/key-format.js';
import { ConfigurationError } from '../src/errors/claude-auth-error.js';

const sample = generateApiKey();

describe('generateApiKey', () => {
  it.each([
    [{}, { issuer: 'cla', kind: 'api', environment: 'live' }],
    [{ kind: 'admin' as const }, { issuer: 'cla', kind: 'admin', environment: 'live' }],
    [{ environment: 'test' }, { issuer: 'cla', kind: 'api', environment: 'test' }],
    [{ environment: 'a' }, { issuer: 'cla', kind: 'api', environment: 'a' }],
    [
      { environment: 'staging0123456ab' },
      { issuer: 'cla', kind: 'api', environment: 'staging0123456ab' },
    ],
    [{ issuer: 'ab' }, { issuer: 'ab', kind: 'api', environment: 'live' }],
    [
      { issuer: 'abcdefgh', kind: 'admin' as const, environment: 'dev' },
      { issuer: 'abcdefgh', kind: 'admin', environment: 'dev' },
    ],
  ])('generates %o keys that match KEY_PATTERN and parse', (options, parsed) => {
    for (let i = 0; i < 50; i++) {
      const key = generateApiKey(options);
      expect(key).toMatch(KEY_PATTERN);
      expect(key).toMatch(KEY_REGEX);
      expect(key.startsWith(`${parsed.issuer}_${parsed.kind}_${parsed.environment}_`)).toBe(true);
      expect(key.length).toBeGreaterThanOrEqual(KEY_MIN_LENGTH);
      expect(key.length).toBeLessThanOrEqual(KEY_MAX_LENGTH);
      expect(parseApiKey(key)).toEqual(parsed);
    }
  });

  it.each([
    [{ environment: '' }, 'environment'],
    [{ environment: 'Live' }, 'environment'],
    [{ environment: 'a'.repeat(17) }, 'environment'],
    [{ environment: 'li_ve' }, 'environment'],
    [{ issuer: 'c' }, 'issuer'],
    [{ issuer: 'abcdefghi' }, 'issuer'],
    [{ issuer: 'cl4' }, 'issuer'],
    [{ kind: 'root' as never }, 'kind'],
  ])('rejects invalid options %o with a ConfigurationError on %s', (options, field) => {
    let caught: unknown;
    try {
      generateApiKey(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).field).toBe(field);
  });

  it('carries at least 256 bits: 43 random base62 characters plus a 6-character checksum', () => {
    const random = sample.slice('cla_api_live_'.length);
    expect(random).toHaveLength(49);
    expect(43 * Math.log2(62)).toBeGreaterThanOrEqual(256);
  });

  it('generates 10,000 distinct keys', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 10_000; i++) keys.add(generateApiKey());
    expect(keys.size).toBe(10_000);
  });

  it('uses every base62 character in the random part (no bias to a subset)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of generateApiKey().slice(13, 56)) seen.add(c);
    expect([...seen].sort().join('')).toBe([...BASE62_ALPHABET].sort().join(''));
  });
});

describe('parseApiKey', () => {
  const mutations: Array<[number, string]> = [];
  for (let i = 0; i < sample.length; i++) {
    const original = sample[i]!;
    // Substitute with a neighbouring character of the same class and with a distant one.
    const pool = /[a-z]/.test(original) ? 'abcdefghijklmnopqrstuvwxyz' : BASE62_ALPHABET;
    const next = pool[(pool.indexOf(original) + 1) % pool.length]!;
    const far = pool[(pool.indexOf(original) + 17) % pool.length]!;
    for (const replacement of new Set([next, far])) {
      if (replacement !== original) mutations.push([i, replacement]);
    }
  }

  it.each(mutations)('rejects the key with position %i changed to %s', (position, replacement) => {
    const mutated = sample.slice(0, position) + replacement + sample.slice(position + 1);
    expect(mutated).not.toBe(sample);
    expect(parseApiKey(mutated)).toBeNull();
  });

  it('rejects every single-character substitution of every position (exhaustive, base62)', () => {
    let accepted = 0;
    for (let i = 0; i < sample.length; i++) {
      for (const c of `${BASE62_ALPHABET}_-`) {
        if (c === sample[i]) continue;
        if (parseApiKey(sample.slice(0, i) + c + sample.slice(i + 1)) !== null) accepted++;
      }
    }
    expect(accepted).toBe(0);
  });

  const body = sample.slice(0, -6);
  it.each([
    ['empty string', ''],
    ['prefix only', 'cla_api_live_'],
    ['one character short', sample.slice(0, -1)],
    ['one character long', `${sample}a`],
    ['two keys glued', sample + sample],
    ['checksum dropped', body],
    ['leading space', ` ${sample}`],
    ['trailing newline', `${sample}\n`],
    ['upper-case prefix', sample.replace('cla_api_live', 'CLA_API_LIVE')],
    ['unknown kind', sample.replace('_api_', '_usr_')],
    ['bearer prefix', `Bearer ${sample}`],
    ['Anthropic-style key', `sk-ant-api03-${'a'.repeat(93)}AA`],
    ['non-ASCII letter in the random part', `${sample.slice(0, 20)}é${sample.slice(21)}`],
    ['emoji in the random part', `${sample.slice(0, 20)}😀${sample.slice(22)}`],
    ['full-width digit', `${sample.slice(0, 20)}１${sample.slice(21)}`],
    ['NUL byte', `${sample.slice(0, 20)}\u0000${sample.slice(21)}`],
    ['oversized (1 MB)', 'a'.repeat(1_000_000)],
    ['oversized key-like', `cla_api_${'x'.repeat(70)}_${sample.slice(13)}`],
    ['garbage', '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'],
    ['random base62', 'a'.repeat(62)],
  ])('rejects %s', (_label, value) => {
    expect(parseApiKey(value)).toBeNull();
  });

  it.each([[undefined], [null], [42], [{}], [['cla']], [Buffer.from(sample)]])(
    'never throws and returns null for the non-string %o',
    (value) => {
      expect(parseApiKey(value as unknown as string)).toBeNull();
    },
  );

  it('answers 1 MB of garbage quickly (no regex blow-up)', () => {
    const huge = 'cla_api_live_'.repeat(100_000);
    const started = performance.now();
    for (let i = 0; i < 100; i++) parseApiKey(huge);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('KEY_PATTERN', () => {
  it('has no flags, so test() is stateless', () => {
    expect(KEY_PATTERN.flags).toBe('');
    expect(KEY_PATTERN.test(sample)).toBe(true);
    expect(KEY_PATTERN.test(sample)).toBe(true);
  });

  it.each([
    ['in a .env line', `ANTHROPIC_API_KEY=${sample}`],
    ['in quotes', `const key = "${sample}";`],
    ['in a header', `x-api-key: ${sample}\r\n`],
    ['in JSON', JSON.stringify({ key: sample })],
  ])('finds a key %s', (_label, text) => {
    expect(text.match(KEY_PATTERN)?.[0]).toBe(sample);
  });

  it('does not match a key embedded in a longer base62 run', () => {
    expect(KEY_PATTERN.test(`${sample}abc`)).toBe(false);
  });
});

describe('keyHint', () => {
  it.each([
    ['cla_api_live_', generateApiKey()],
    ['cla_admin_test_', generateApiKey({ kind: 'admin', environment: 'test' })],
    ['acme_api_eu1_', generateApiKey({ issuer: 'acme', environment: 'eu1' })],
  ])('shows the prefix %s and the last four characters', (prefix, key) => {
    expect(keyHint(key)).toBe(`${prefix}…${key.slice(-4)}`);
    expect(keyHint(key)).not.toContain(key.slice(prefix.length, -4));
  });

  it.each([[''], ['short'], ['cla_api_live_abc']])(
    'reveals nothing of a short value %j',
    (value) => {
      expect(keyHint(value)).not.toMatch(/[A-Za-z0-9]{2,}$/);
    },
  );
});
