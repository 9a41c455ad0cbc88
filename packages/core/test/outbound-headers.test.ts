import { describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  buildHeaders,
  redactHeaders,
  type BuildHeadersOptions,
} from '@claude-auth/core';
import { REDACTED } from '../src/outbound/headers.js';

const KEY = 'sk-ant-api03-abcDEF123_-xyz';

describe('buildHeaders: versions and schemes', () => {
  it('sends the key as Authorization: Bearer under the bearer scheme, and no x-api-key', () => {
    expect(
      buildHeaders({ apiKey: KEY, version: '2026-10-21', authScheme: 'bearer' }),
    ).toStrictEqual({
      authorization: `Bearer ${KEY}`,
      'anthropic-version': '2026-10-21',
      'content-type': 'application/json',
    });
  });

  it('accepts any YYYY-MM-DD, warning once per version the registry does not know', () => {
    const warn = vi.fn();
    for (let i = 0; i < 3; i++) {
      expect(
        buildHeaders({ apiKey: KEY, version: '2031-05-05', logger: { warn } })['anthropic-version'],
      ).toBe('2031-05-05');
    }
    buildHeaders({ apiKey: KEY, version: '2026-10-21', logger: { warn } });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe(
      'claude-auth: anthropic-version 2031-05-05 is not in the version registry; sending it anyway',
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain(KEY);
  });

  it('redacts the bearer credential', () => {
    const headers = buildHeaders({ apiKey: KEY, authScheme: 'bearer' });
    expect(redactHeaders(headers).authorization).toBe(REDACTED);
  });
});

describe('buildHeaders', () => {
  it.each<[string, BuildHeadersOptions, Record<string, string>]>([
    [
      'key only: default version and content type',
      { apiKey: KEY },
      { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    ],
    [
      'explicit deprecated version',
      { apiKey: KEY, version: '2023-01-01' },
      { 'x-api-key': KEY, 'anthropic-version': '2023-01-01', 'content-type': 'application/json' },
    ],
    [
      'one beta',
      { apiKey: KEY, betas: ['prompt-caching-2024-07-31'] },
      {
        'x-api-key': KEY,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
        'anthropic-beta': 'prompt-caching-2024-07-31',
      },
    ],
    [
      'several betas comma-joined, duplicates dropped',
      {
        apiKey: KEY,
        betas: [
          'context-1m-2025-08-07',
          'token-efficient-tools-2025-02-19',
          'context-1m-2025-08-07',
        ],
      },
      {
        'x-api-key': KEY,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
        'anthropic-beta': 'context-1m-2025-08-07,token-efficient-tools-2025-02-19',
      },
    ],
    [
      'empty beta list sends no header',
      { apiKey: KEY, betas: [] },
      { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    ],
    [
      'workspace id',
      { apiKey: KEY, workspaceId: 'wrkspc_01AbCdEf23' },
      {
        'x-api-key': KEY,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
        'anthropic-workspace-id': 'wrkspc_01AbCdEf23',
      },
    ],
    [
      'everything',
      {
        apiKey: 'cla_api_live_X',
        version: '2023-06-01',
        betas: ['a.b_c-1'],
        workspaceId: 'wrkspc_Z',
      },
      {
        'x-api-key': 'cla_api_live_X',
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
        'anthropic-beta': 'a.b_c-1',
        'anthropic-workspace-id': 'wrkspc_Z',
      },
    ],
  ])('%s', (_name, options, expected) => {
    expect(buildHeaders(options)).toStrictEqual(expected);
  });

  const secret = 'sk-ant-SECRETVALUE';
  it.each<[string, unknown, string, RegExp]>([
    ['empty key', { apiKey: '' }, 'apiKey', /apiKey must not be empty/],
    ['missing key', {}, 'apiKey', /apiKey must be a string/],
    ['non-string key', { apiKey: 42 }, 'apiKey', /apiKey must be a string/],
    ['key with inner space', { apiKey: `${secret} x` }, 'apiKey', /whitespace/],
    ['key with trailing newline', { apiKey: `${secret}\n` }, 'apiKey', /whitespace/],
    ['key with tab', { apiKey: `\t${secret}` }, 'apiKey', /whitespace/],
    ['key with NUL', { apiKey: `${secret}\u0000` }, 'apiKey', /control characters/],
    ['key with DEL', { apiKey: `${secret}\u007f` }, 'apiKey', /control characters/],
    ['key with non-ASCII', { apiKey: `${secret}é` }, 'apiKey', /ASCII/],
    ['key with zero-width space', { apiKey: `${secret}\u200b` }, 'apiKey', /ASCII/],
    ['overlong key', { apiKey: 'k'.repeat(5000) }, 'apiKey', /at most 1024/],
    [
      'a version that is not a date',
      { apiKey: secret, version: 'latest' },
      'version',
      /version must be a date YYYY-MM-DD, e\.g\. 2026-10-21, 2023-06-01, 2023-01-01 \(got "latest"\)/,
    ],
    ['an impossible date', { apiKey: secret, version: '2026-02-30' }, 'version', /YYYY-MM-DD/],
    [
      'an unknown scheme',
      { apiKey: secret, authScheme: 'basic' },
      'authScheme',
      /x-api-key or bearer/,
    ],
    ['beta with comma', { apiKey: secret, betas: ['a,b'] }, 'betas', /beta names/],
    ['beta with space', { apiKey: secret, betas: ['a b'] }, 'betas', /beta names/],
    ['empty beta', { apiKey: secret, betas: [''] }, 'betas', /beta names/],
    ['beta not a string', { apiKey: secret, betas: [1] }, 'betas', /beta names/],
    ['betas not an array', { apiKey: secret, betas: 'a' }, 'betas', /array/],
    [
      'workspace without prefix',
      { apiKey: secret, workspaceId: 'ws_123' },
      'workspaceId',
      /wrkspc_/,
    ],
    [
      'workspace with header injection',
      { apiKey: secret, workspaceId: 'wrkspc_1\r\nx: y' },
      'workspaceId',
      /wrkspc_/,
    ],
    ['empty workspace', { apiKey: secret, workspaceId: '' }, 'workspaceId', /wrkspc_/],
  ])(
    'rejects %s with a ConfigurationError that hides the key',
    (_name, options, field, message) => {
      let caught: unknown;
      try {
        buildHeaders(options as BuildHeadersOptions);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigurationError);
      const error = caught as ConfigurationError;
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('SECRETVALUE');
      expect(JSON.stringify(error)).not.toContain('SECRETVALUE');
      expect(String(error.stack)).not.toContain('SECRETVALUE');
    },
  );
});

describe('redactHeaders', () => {
  it.each([
    ['x-api-key'],
    ['X-Api-Key'],
    ['authorization'],
    ['Authorization'],
    ['COOKIE'],
    ['set-cookie'],
    ['Proxy-Authorization'],
  ])('masks %s in a plain object and keeps the rest', (name) => {
    const input = { [name]: 'secret', 'anthropic-version': '2023-06-01' };
    expect(redactHeaders(input)).toStrictEqual({
      [name]: REDACTED,
      'anthropic-version': '2023-06-01',
    });
    expect(input[name]).toBe('secret');
  });

  it('masks every value of array-valued headers and keeps numbers and undefined', () => {
    const input = {
      'set-cookie': ['a=1', 'b=2'],
      'x-forwarded-for': ['1.1.1.1', '2.2.2.2'],
      'content-length': 12,
      cookie: undefined,
    };
    expect(redactHeaders(input)).toStrictEqual({
      'set-cookie': [REDACTED, REDACTED],
      'x-forwarded-for': ['1.1.1.1', '2.2.2.2'],
      'content-length': 12,
      cookie: undefined,
    });
  });

  it('masks [name, value] pairs', () => {
    expect(
      redactHeaders([
        ['X-API-KEY', 'k'],
        ['accept', 'application/json'],
        ['Set-Cookie', 'a=1'],
      ]),
    ).toStrictEqual([
      ['X-API-KEY', REDACTED],
      ['accept', 'application/json'],
      ['Set-Cookie', REDACTED],
    ]);
  });

  it('turns a Headers into a plain masked object', () => {
    const headers = new Headers(buildHeaders({ apiKey: 'sk-ant-zzz' }));
    headers.set('Authorization', 'Bearer t');
    headers.append('Set-Cookie', 'a=1');
    const out = redactHeaders(headers);
    expect(out).toStrictEqual({
      'anthropic-version': '2023-06-01',
      authorization: REDACTED,
      'content-type': 'application/json',
      'set-cookie': REDACTED,
      'x-api-key': REDACTED,
    });
    expect(JSON.stringify(out)).not.toContain('sk-ant');
    expect(headers.get('x-api-key')).toBe('sk-ant-zzz');
  });
});
