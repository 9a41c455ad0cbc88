import { StoreUnavailableError } from '@claude-auth/core';
import { describe, expect, it } from 'vitest';
import { mapPgError, pgFailureReason } from '../src/map-pg-error.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('pgFailureReason', () => {
  it.each([
    [
      'a socket error',
      withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
      'ECONNREFUSED',
    ],
    ['a statement timeout', withCode('canceling statement', '57014'), 'statement timeout'],
    ['an idle session terminated', withCode('terminating connection', '57P01'), '57P01'],
    [
      'an idle connection the server closed (no code)',
      new Error('Connection terminated unexpectedly'),
      'connection lost',
    ],
    [
      'a connect timeout (no code)',
      new Error('timeout exceeded when trying to connect'),
      'connection timeout',
    ],
    [
      'every address refused (AggregateError)',
      new AggregateError([withCode('x', 'ECONNREFUSED'), withCode('y', 'ECONNREFUSED')]),
      'ECONNREFUSED',
    ],
  ])('%s → %j', (_name, error, reason) => {
    expect(pgFailureReason(error)).toBe(reason);
  });
});

describe('mapPgError', () => {
  it('names the reason once', () => {
    const mapped = mapPgError(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'));
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as Error).message).toBe('PostgreSQL key store unavailable (ECONNREFUSED)');
  });
});
