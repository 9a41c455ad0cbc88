import { describe, expect, it } from 'vitest';
import {
  API_VERSIONS,
  DEFAULT_API_VERSION,
  checkVersion,
  deprecationHeaders,
  mergeVersionRegistry,
  type VersionCheck,
  type VersionPolicy,
} from '@claude-auth/core';
import { acceptedVersions, isApiVersion, isVersionString, versionStatus } from '../src/versions.js';

const POLICIES = ['allow', 'warn', 'reject'] as const;

const rows: Array<[string | undefined, VersionPolicy, VersionCheck]> = [
  ...POLICIES.map((policy): [string, VersionPolicy, VersionCheck] => [
    '2026-10-21',
    policy,
    { status: 'current', accepted: true, warn: false },
  ]),
  ...POLICIES.map((policy): [string, VersionPolicy, VersionCheck] => [
    '2023-06-01',
    policy,
    { status: 'supported', accepted: true, warn: false },
  ]),
  ['2023-01-01', 'allow', { status: 'deprecated', accepted: true, warn: false }],
  ['2023-01-01', 'warn', { status: 'deprecated', accepted: true, warn: true }],
  ['2023-01-01', 'reject', { status: 'deprecated', accepted: false, warn: false }],
  ...POLICIES.flatMap((policy) =>
    [
      undefined,
      '',
      '2024-01-01',
      '2023-06-01 ',
      ' 2023-06-01',
      '2023-6-1',
      '2023-06-01,2023-01-01',
      'latest',
      'constructor',
      '__proto__',
    ].map((value): [string | undefined, VersionPolicy, VersionCheck] => [
      value,
      policy,
      { status: 'unknown', accepted: false, warn: false },
    ]),
  ),
];

const fail = (field: string, expected: string): never => {
  throw new Error(`${field}: ${expected}`);
};

describe('checkVersion (default registry)', () => {
  it('covers every known version under every policy', () => {
    for (const version of Object.keys(API_VERSIONS)) {
      for (const policy of POLICIES) {
        expect(rows.some(([v, p]) => v === version && p === policy)).toBe(true);
      }
    }
  });

  it.each(rows)('%j under %s', (value, policy, expected) => {
    expect(checkVersion(value, policy)).toStrictEqual(expected);
  });
});

describe('a registry from configuration', () => {
  const registry = mergeVersionRegistry(
    {
      '2027-01-01': { status: 'current' },
      '2026-10-21': { status: 'supported' },
      '2023-06-01': { status: 'deprecated', deprecatedAt: '2026-11-01', sunsetAt: '2027-06-30' },
      '2023-01-01': { status: 'retired' },
    },
    'versions',
    fail,
  );
  const before = Date.parse('2027-01-01T00:00:00Z');
  const after = Date.parse('2027-06-30T00:00:00Z');

  it('adds a version and changes statuses without touching the defaults', () => {
    expect(checkVersion('2027-01-01', 'warn', registry, before)).toStrictEqual({
      status: 'current',
      accepted: true,
      warn: false,
    });
    expect(checkVersion('2023-01-01', 'allow', registry, before)).toStrictEqual({
      status: 'retired',
      accepted: false,
      warn: false,
    });
    expect(API_VERSIONS['2023-01-01']).toStrictEqual({ status: 'deprecated' });
    expect(Object.isFrozen(registry)).toBe(true);
  });

  it('retires a version once its sunset date has passed', () => {
    expect(versionStatus('2023-06-01', registry, after - 1)).toBe('deprecated');
    expect(versionStatus('2023-06-01', registry, after)).toBe('retired');
  });

  it('lists the accepted versions newest first, per policy and date', () => {
    expect(acceptedVersions(API_VERSIONS, 'warn')).toStrictEqual([
      '2026-10-21',
      '2023-06-01',
      '2023-01-01',
    ]);
    expect(acceptedVersions(API_VERSIONS, 'reject')).toStrictEqual(['2026-10-21', '2023-06-01']);
    expect(acceptedVersions(registry, 'warn', before)).toStrictEqual([
      '2027-01-01',
      '2026-10-21',
      '2023-06-01',
    ]);
    expect(acceptedVersions(registry, 'warn', after)).toStrictEqual(['2027-01-01', '2026-10-21']);
  });

  it('builds deprecation and sunset headers (RFC 9745 / RFC 8594) from the dates', () => {
    expect(deprecationHeaders('2023-06-01', registry['2023-06-01']!)).toStrictEqual({
      deprecation: `@${Date.parse('2026-11-01T00:00:00Z') / 1000}`,
      sunset: 'Wed, 30 Jun 2027 00:00:00 GMT',
    });
    expect(deprecationHeaders('2023-01-01', API_VERSIONS['2023-01-01']!)).toStrictEqual({
      deprecation: 'version="2023-01-01"',
    });
  });

  it.each([
    [[], 'versions: an object of version → { status, deprecatedAt?, sunsetAt? }'],
    [{ latest: { status: 'current' } }, 'versions.latest: named by a date YYYY-MM-DD'],
    [
      { '2027-01-01': 'current' },
      'versions.2027-01-01: an object { status, deprecatedAt?, sunsetAt? }',
    ],
    [
      { '2027-01-01': {} },
      'versions.2027-01-01.status: one of current, supported, deprecated, retired',
    ],
    [
      { '2027-01-01': { status: 'current', sunset: '2028-01-01' } },
      'versions.2027-01-01.sunset: absent (known fields: status, deprecatedAt, sunsetAt)',
    ],
    [
      { '2023-01-01': { sunsetAt: '2027-13-01' } },
      'versions.2023-01-01.sunsetAt: a date YYYY-MM-DD',
    ],
  ])('refuses %j', (input, message) => {
    expect(() => mergeVersionRegistry(input, 'versions', fail)).toThrow(message);
  });
});

describe('isApiVersion, isVersionString and defaults', () => {
  it.each([
    ['2026-10-21', true],
    ['2023-06-01', true],
    ['2023-01-01', true],
    ['2022-01-01', false],
    ['hasOwnProperty', false],
    [20230601, false],
    [null, false],
    [undefined, false],
  ])('isApiVersion(%j) is %s', (value, expected) => {
    expect(isApiVersion(value)).toBe(expected);
  });

  it.each([
    ['2026-10-21', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2026-1-21', false],
    ['2026-10-21T00:00:00Z', false],
    [20261021, false],
  ])('isVersionString(%j) is %s', (value, expected) => {
    expect(isVersionString(value)).toBe(expected);
  });

  it('sends the spec-recommended version outbound by default; 2026-10-21 is current', () => {
    expect(DEFAULT_API_VERSION).toBe('2023-06-01');
    expect(API_VERSIONS[DEFAULT_API_VERSION]!.status).toBe('supported');
    expect(API_VERSIONS['2026-10-21']!.status).toBe('current');
  });
});
