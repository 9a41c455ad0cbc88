import {
  formatResetTime,
  rateLimitHeaders,
  retryAfterSeconds,
} from '../src/auth/rate-limit-headers.js';
import { hasBody, isJsonContentType } from '../src/auth/content-type.js';
import { hasKeyInQuery } from '../src/auth/query-key.js';
import { newRequestId } from '../src/auth/request-id.js';
import { toAuthRequest } from '@claude-auth/core';
import { describe, expect, it } from 'vitest';

describe('hasKeyInQuery', () => {
  it.each([
    ['/v1/messages', false],
    ['/v1/messages?', false],
    ['/v1/messages?beta=true', false],
    ['/v1/messages?keyboard=1&monkey=2', false],
    ['/v1/messages?api_key=x', true],
    ['/v1/messages?beta=1&X-API-KEY=x', true],
    ['/v1/messages?x_api_key=x', true],
    ['/v1/messages?key=x', true],
    ['/v1/messages?ApiKey=x', true],
    ['/v1/messages?anthropic_api_key=x', true],
    ['/v1/messages?Anthropic-Api-Key=x', true],
    ['/v1/messages?api%5Fkey=x', true],
    ['/v1/messages?key', true],
    ['/v1/messages?a=%E0%A4%A&key=x', true],
    ['/v1/messages#key=x', false],
  ])('%s → %s', (url, expected) => {
    expect(hasKeyInQuery(url)).toBe(expected);
  });
});

describe('hasBody and isJsonContentType', () => {
  it.each([
    [{}, false],
    [{ 'content-length': '0' }, false],
    [{ 'content-length': '000' }, false],
    [{ 'content-length': '1' }, true],
    [{ 'content-length': 'abc' }, true],
    [{ 'transfer-encoding': 'chunked' }, true],
  ])('hasBody(%j) → %s', (headers, expected) => {
    expect(hasBody(headers)).toBe(expected);
  });

  it.each([
    ['application/json', true],
    ['APPLICATION/JSON', true],
    ['application/json; charset=utf-8', true],
    ['application/json;charset=UTF-8', true],
    ['application/json; charset="utf-8"', true],
    [' application/json ', true],
    ['application/json; charset=iso-8859-1', false],
    ['application/json; boundary=x', false],
    ['application/jsonx', false],
    ['text/json', false],
    ['text/plain', false],
    ['multipart/form-data', false],
    ['', false],
    [undefined, false],
    [['application/json', 'application/json'], false],
  ])('isJsonContentType(%j) → %s', (value, expected) => {
    expect(isJsonContentType(value)).toBe(expected);
  });
});

describe('rate-limit headers', () => {
  it('formats the reset as RFC 3339, rounded up to the second', () => {
    expect(formatResetTime(Date.UTC(2025, 0, 1, 0, 0, 0, 250))).toBe('2025-01-01T00:00:01Z');
    expect(formatResetTime(Date.UTC(2025, 0, 1, 0, 0, 1))).toBe('2025-01-01T00:00:01Z');
    expect(formatResetTime(Date.UTC(2025, 11, 31, 23, 59, 59, 1))).toBe('2026-01-01T00:00:00Z');
  });

  it.each([
    [0, 1],
    [0.2, 1],
    [1000, 1],
    [1001, 2],
    [59_999, 60],
  ])('retryAfterSeconds(%d) → %d', (ms, seconds) => {
    expect(retryAfterSeconds(ms)).toBe(seconds);
  });

  it('builds the headers of a refused decision', () => {
    expect(
      rateLimitHeaders({
        allowed: false,
        limit: 10,
        remaining: 0,
        resetAt: Date.UTC(2025, 0, 1),
        retryAfterMs: 1500,
      }),
    ).toEqual({
      'anthropic-ratelimit-requests-limit': '10',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2025-01-01T00:00:00Z',
      'retry-after': '2',
    });
  });
});

describe('newRequestId', () => {
  it('makes distinct req_ + 24 base62 ids', () => {
    const ids = new Set(Array.from({ length: 5_000 }, () => newRequestId()));
    expect(ids.size).toBe(5_000);
    for (const id of ids) expect(id).toMatch(/^req_[0-9A-Za-z]{24}$/);
  });

  it('starts with the millisecond clock, so later ids sort later', () => {
    const base62 = (text: string): number =>
      [...text].reduce(
        (n, c) =>
          n * 62 + '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(c),
        0,
      );
    const before = Date.now();
    const first = newRequestId();
    const after = Date.now();
    const stamp = base62(first.slice(4, 12));
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(after);
    const later: string[] = [];
    const until = Date.now() + 5;
    while (Date.now() < until) later.push(newRequestId());
    const last = later.at(-1)!;
    expect(last.slice(0, 12) > first.slice(0, 12)).toBe(true);
    expect([first, last].sort()).toEqual([first, last]);
  });

  it('keeps 16 random characters after the clock', () => {
    const ids = Array.from({ length: 2_000 }, () => newRequestId());
    const tails = new Set(ids.map((id) => id.slice(12)));
    expect(tails.size).toBe(2_000);
    // Every base62 character shows up in the random part, none of them in a fixed place.
    const seen = new Set(ids.flatMap((id) => [...id.slice(12)]));
    expect(seen.size).toBe(62);
  });
});

describe('toAuthRequest', () => {
  it.each([
    [
      'Express-like',
      {
        method: 'POST',
        url: '/messages',
        originalUrl: '/v1/messages?x=1',
        headers: { a: 'b' },
        ip: '10.0.0.1',
      },
      { method: 'POST', url: '/v1/messages?x=1', headers: { a: 'b' }, ip: '10.0.0.1' },
    ],
    [
      'Node IncomingMessage-like',
      { method: 'GET', url: '/v1/models', headers: {}, socket: { remoteAddress: '::1' } },
      { method: 'GET', url: '/v1/models', headers: {}, ip: '::1' },
    ],
    ['bare', { headers: {} }, { method: 'GET', url: '/', headers: {} }],
  ])('%s', (_name, input, expected) => {
    expect(toAuthRequest(input)).toEqual(expected);
  });

  it('shares the headers object instead of copying it', () => {
    const headers = { 'x-api-key': 'k' };
    expect(toAuthRequest({ headers }).headers).toBe(headers);
  });
});
