import { describe, expect, it } from 'vitest';
import { ApiError, toQuery, type CostRow, type UsageRow } from '../src/api.js';
import { relativeTime, usd } from '../src/format.js';
import { generateApiKey, keyHint as coreKeyHint } from '@claude-auth/core';
import {
  dailySeries,
  isOwnKey,
  keyHint,
  labelStep,
  lastDays,
  lastDaysRange,
  monthToDate,
  needsRotation,
  permissionsText,
} from '../src/shapes.js';

describe('console helpers', () => {
  it('sends arrays as the Claude SDK does (group_by[]=…)', () => {
    expect(toQuery({ group_by: ['api_key_id', 'model'], limit: 5, page: null, x: '' })).toBe(
      '?group_by%5B%5D=api_key_id&group_by%5B%5D=model&limit=5',
    );
    expect(toQuery({})).toBe('');
  });

  it('finds the field an API validation message names, as a whole word', () => {
    const error = new ApiError(
      400,
      'invalid_request_error',
      'expires_at must be in the future',
      null,
    );
    expect(error.field(['name', 'expires_at'])).toBe('expires_at');
    const other = new ApiError(400, 'invalid_request_error', 'renamed twice', null);
    expect(other.field(['name'])).toBeUndefined();
  });

  it('puts report rows on their UTC day; days without rows are zero', () => {
    const now = new Date('2026-11-30T15:00:00Z');
    const days = lastDays(3, now);
    expect(days).toEqual(['2026-11-28', '2026-11-29', '2026-11-30']);
    const usage = [
      {
        starting_at: '2026-11-30T00:00:00Z',
        ending_at: '2026-12-01T00:00:00Z',
        group: {},
        usage: {
          uncached_input_tokens: 10,
          cache_read_input_tokens: 0,
          output_tokens: 5,
          total_tokens: 15,
          requests: 2,
        },
      },
    ] satisfies UsageRow[];
    const cost = [
      {
        starting_at: '2026-11-30T00:00:00Z',
        ending_at: '2026-12-01T00:00:00Z',
        group: {},
        cost: { amount: '12.5', currency: 'USD', requests: 2 },
      },
    ] satisfies CostRow[];
    expect(dailySeries(days, usage, cost)).toEqual([
      { day: '2026-11-28', requests: 0, tokens: 0, costUsd: 0 },
      { day: '2026-11-29', requests: 0, tokens: 0, costUsd: 0 },
      { day: '2026-11-30', requests: 2, tokens: 15, costUsd: 0.125 },
    ]);
    expect(lastDaysRange(3, now)).toEqual({
      starting_at: '2026-11-28T00:00:00.000Z',
      ending_at: '2026-12-01T00:00:00.000Z',
    });
    expect(monthToDate(now)).toEqual({
      starting_at: '2026-11-01T00:00:00.000Z',
      ending_at: '2026-11-30T16:00:00.000Z',
    });
  });

  it('marks active keys at least the rotation age old', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const key = (created_at: string, status: 'active' | 'inactive' = 'active') => ({
      created_at,
      status,
    });
    expect(needsRotation(key('2026-09-01T12:00:00Z'), 90, now)).toBe(true); // 90 days
    expect(needsRotation(key('2026-09-01T12:00:01Z'), 90, now)).toBe(false);
    expect(needsRotation(key('2026-09-01T12:00:00Z'), 91, now)).toBe(false);
    expect(needsRotation(key('2020-01-01T00:00:00Z', 'inactive'), 90, now)).toBe(false);
  });

  it('formats money and times for people', () => {
    expect(usd(12)).toBe('$12.00');
    expect(usd(0.000105)).toBe('$0.000105');
    expect(usd(0)).toBe('$0.00');
    // One rule: 2 decimals from $0.01, up to 4 significant digits below, no padding zeros.
    expect(usd(0.0234)).toBe('$0.02');
    expect(usd(1234.5)).toBe('$1,234.50');
    expect(usd(0.01)).toBe('$0.01');
    expect(usd(0.000963)).toBe('$0.000963');
    expect(usd(0.000033)).toBe('$0.000033');
    expect(usd(0.0005)).toBe('$0.0005');
    expect(usd(0.0001)).toBe('$0.0001');
    expect(usd(0.00012345)).toBe('$0.0001235');
    expect(usd(0.0099999)).toBe('$0.01');
    expect(usd(-0.5)).toBe('-$0.50');
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(relativeTime('2026-11-27T12:00:00Z', now)).toBe('3 days ago');
    expect(relativeTime(null, now)).toBe('—');
  });

  it("recognises the console's own admin key by its hint, the same hint core gives it", () => {
    for (const kind of ['admin', 'api'] as const) {
      const secret = generateApiKey({ kind });
      expect(keyHint(secret)).toBe(coreKeyHint(secret));
    }
    const own = generateApiKey({ kind: 'admin' });
    const hint = keyHint(own);
    expect(isOwnKey({ kind: 'admin', partial_key_hint: hint }, hint)).toBe(true);
    expect(isOwnKey({ kind: 'api', partial_key_hint: hint }, hint)).toBe(false);
    const other = keyHint(generateApiKey({ kind: 'admin' }));
    expect(isOwnKey({ kind: 'admin', partial_key_hint: other }, hint)).toBe(other === hint);
    // A secret too short to give a tail matches nothing.
    expect(isOwnKey({ kind: 'admin', partial_key_hint: '…' }, keyHint('x'))).toBe(false);
  });

  it("says what core's empty permission list means", () => {
    expect(permissionsText([])).toBe('none (only routes that require no permission)');
    expect(permissionsText(undefined)).toBe('none (only routes that require no permission)');
    expect(permissionsText(['*'])).toBe('all (*)');
    expect(permissionsText(['messages:write', 'models:read'])).toBe('messages:write, models:read');
  });

  it('spaces chart labels so the last day (today) is always one of them', () => {
    expect(labelStep(30, 1170)).toBe(2);
    expect(labelStep(30, 480)).toBe(3);
    expect(labelStep(30, 240)).toBe(6);
    expect(labelStep(7, 2000)).toBe(1);
  });
});
