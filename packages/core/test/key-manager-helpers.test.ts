import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../src/errors/claude-auth-error.js';
import { keyStatus, toKeyView } from '../src/manager/key-view.js';
import { microsToUsd, spendPeriod, usdToMicros } from '../src/manager/money.js';
import { parseDuration } from '../src/manager/parse-duration.js';
import { validatePermissions } from '../src/manager/validation.js';
import { sampleKeyRecord } from '../../testing/src/key-store-conformance.js';

describe('money', () => {
  it.each([
    [0, 0],
    [1, 1_000_000],
    [12.5, 12_500_000],
    [0.000001, 1],
    [0.0000004, 0],
    [0.1 + 0.2, 300_000],
  ])('usdToMicros(%s) is %i', (usd, micros) => {
    expect(usdToMicros(usd)).toBe(micros);
  });

  it.each([[-0.01], [Number.NaN], [Number.POSITIVE_INFINITY], [1e12], ['5' as unknown as number]])(
    'usdToMicros rejects %s',
    (usd) => {
      expect(() => usdToMicros(usd)).toThrow(InvalidRequestError);
    },
  );

  it('microsToUsd inverts usdToMicros', () => {
    expect(microsToUsd(12_500_000)).toBe(12.5);
  });

  it.each([
    ['2025-01-01T00:00:00.000Z', '2025-01'],
    ['2025-01-31T23:59:59.999Z', '2025-01'],
    ['2025-12-31T23:59:59.999Z', '2025-12'],
    ['2025-02-01T00:30:00.000+01:00', '2025-01'],
  ])('spendPeriod(%s) is %s (UTC)', (iso, period) => {
    expect(spendPeriod(new Date(iso))).toBe(period);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['45s', 45_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    [' 5m ', 300_000],
  ])('parseDuration(%j) is %i ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each([[''], ['10'], ['1.5h'], ['-1d'], ['1y'], ['1h30m'], ['ten minutes'], ['9999999999d']])(
    'rejects %j',
    (value) => {
      expect(() => parseDuration(value)).toThrow(InvalidRequestError);
    },
  );
});

describe('key view', () => {
  const now = new Date('2025-05-01T00:00:00Z');
  it.each([
    ['active', null, 'active'],
    ['active', '2025-05-01T00:00:00Z', 'expired'],
    ['active', '2025-05-01T00:00:01Z', 'active'],
    ['inactive', '2025-04-01T00:00:00Z', 'expired'],
    ['inactive', null, 'inactive'],
    ['archived', '2025-04-01T00:00:00Z', 'archived'],
  ] as const)('stored %s with expiresAt %s shows %s', (status, expiresAt, shown) => {
    expect(keyStatus({ status, expiresAt: expiresAt ? new Date(expiresAt) : null }, now)).toBe(
      shown,
    );
  });

  it('drops every hash and copies mutable fields', () => {
    const record = sampleKeyRecord({ previousHash: 'ab', rateLimit: { rpm: 1 } });
    const view = toKeyView(record, now);
    expect(Object.keys(view)).not.toContain('hash');
    expect(Object.keys(view)).not.toContain('previousHash');
    expect(Object.keys(view)).not.toContain('previousHashExpiresAt');
    view.permissions.push('x');
    view.rateLimit!.rpm = 99;
    expect(record.permissions).not.toContain('x');
    expect(record.rateLimit!.rpm).toBe(1);
  });
});

describe('validatePermissions', () => {
  it.each([['*'], ['messages:write'], ['admin:*'], ['models:read'], ['a.b-c_d:e']])(
    'accepts %j',
    (permission) => {
      expect(validatePermissions([permission])).toEqual([permission]);
    },
  );

  it.each([
    ['Messages'],
    ['a b'],
    [':write'],
    ['messages:'],
    ['a:b:c:d:e'],
    ['x'.repeat(65)],
    ['é'],
  ])('rejects %j', (permission) => {
    expect(() => validatePermissions([permission])).toThrow(InvalidRequestError);
  });
});
