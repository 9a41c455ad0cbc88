import { describe, expect, it } from 'vitest';
import {
  API_VERSIONS,
  DEFAULT_API_VERSION,
  checkVersion,
  isApiVersion,
  type VersionCheck,
  type VersionPolicy,
} from '@claude-auth/core';

const rows: Array<[string | undefined, VersionPolicy, VersionCheck]> = [
  ['2023-06-01', 'allow', { status: 'current', accepted: true, warn: false }],
  ['2023-06-01', 'warn', { status: 'current', accepted: true, warn: false }],
  ['2023-06-01', 'reject', { status: 'current', accepted: true, warn: false }],
  ['2023-01-01', 'allow', { status: 'deprecated', accepted: true, warn: false }],
  ['2023-01-01', 'warn', { status: 'deprecated', accepted: true, warn: true }],
  ['2023-01-01', 'reject', { status: 'deprecated', accepted: false, warn: false }],
  ...(['allow', 'warn', 'reject'] as const).flatMap((policy) =>
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

describe('checkVersion', () => {
  it('covers every known version under every policy', () => {
    for (const version of Object.keys(API_VERSIONS)) {
      for (const policy of ['allow', 'warn', 'reject']) {
        expect(rows.some(([v, p]) => v === version && p === policy)).toBe(true);
      }
    }
  });

  it.each(rows)('%j under %s', (value, policy, expected) => {
    expect(checkVersion(value, policy)).toStrictEqual(expected);
  });
});

describe('isApiVersion and defaults', () => {
  it.each([
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

  it('recommends the current version', () => {
    expect(DEFAULT_API_VERSION).toBe('2023-06-01');
    expect(API_VERSIONS[DEFAULT_API_VERSION]).toBe('current');
  });
});
