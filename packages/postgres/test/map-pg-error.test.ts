import { describe, expect, it } from 'vitest';
import { isLostConnection } from '../src/map-pg-error.js';

const withCode = (message: string, code?: string): Error =>
  Object.assign(new Error(message), { code });

describe('isLostConnection (which failures a read or a debit under its id retries at once)', () => {
  it.each([
    [
      'terminated by an administrator (57P01)',
      withCode('terminating connection due to administrator command', '57P01'),
      true,
    ],
    ['crash shutdown (57P02)', withCode('terminating connection due to crash', '57P02'), true],
    ['connection failure (08006)', withCode('connection failure', '08006'), true],
    ['reset socket', withCode('read ECONNRESET', 'ECONNRESET'), true],
    ['driver: terminated unexpectedly', new Error('Connection terminated unexpectedly'), true],
    [
      'driver: connection timeout',
      new Error('Connection terminated due to connection timeout'),
      false,
    ],
    ['query read timeout', new Error('Query read timeout'), false],
    [
      'statement timeout (57014)',
      withCode('canceling statement due to statement timeout', '57014'),
      false,
    ],
    ['refused (nothing listening)', withCode('connect ECONNREFUSED', 'ECONNREFUSED'), false],
    ['constraint violation', withCode('duplicate key', '23505'), false],
  ])('%s: %s', (_label, error, expected) => {
    expect(isLostConnection(error)).toBe(expected);
  });
});
