import { isClaudeAuthError } from '@claude-auth/core';
import {
  DuplicateRecordError,
  RecordNotFoundError,
  STORE_ERROR_CODES,
  StoreError,
  StoreUnavailableError,
  isStoreError,
} from '@claude-auth/core/store';
import { describe, expect, it } from 'vitest';

describe('store errors', () => {
  it.each([
    [new DuplicateRecordError(), 'duplicate', 'DuplicateRecordError'],
    [new RecordNotFoundError(), 'not_found', 'RecordNotFoundError'],
    [new StoreUnavailableError(), 'unavailable', 'StoreUnavailableError'],
  ] as const)('%s has reason %s, its code and name', (error, reason, name) => {
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toBeInstanceOf(Error);
    expect(error.reason).toBe(reason);
    expect(error.code).toBe(STORE_ERROR_CODES[reason]);
    expect(error.name).toBe(name);
    expect(isStoreError(error)).toBe(true);
    expect(isStoreError(error, reason)).toBe(true);
    expect(isClaudeAuthError(error)).toBe(false);
  });

  it('tells the reasons apart', () => {
    expect(isStoreError(new DuplicateRecordError(), 'unavailable')).toBe(false);
    expect(isStoreError(new StoreUnavailableError(), 'duplicate')).toBe(false);
  });

  it('recognises an error from another copy of core by its brand, not its class', () => {
    // What a second bundle (the CJS build, another installed version) would construct.
    class ForeignStoreError extends Error {
      readonly reason = 'duplicate';
      readonly code = STORE_ERROR_CODES.duplicate;
      constructor() {
        super('A key with this id already exists');
        Object.defineProperty(this, Symbol.for('@claude-auth/core/store-error'), { value: true });
      }
    }
    const foreign = new ForeignStoreError();
    expect(foreign).not.toBeInstanceOf(StoreError);
    expect(isStoreError(foreign, 'duplicate')).toBe(true);
  });

  it.each([
    [new Error('A key with this id already exists')],
    [{ code: STORE_ERROR_CODES.duplicate, reason: 'duplicate' }],
    [null],
    ['duplicate'],
  ])('does not take %j for a store error', (value) => {
    expect(isStoreError(value)).toBe(false);
  });

  it('keeps the cause and carries no bound values', () => {
    const cause = new Error('UNIQUE constraint failed: api_keys.hash');
    const error = new DuplicateRecordError(undefined, { cause });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('A record with this id already exists');
  });
});
