import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_CARRIERS,
  missingCredentialMessage,
  parseCredentialCarriers,
  readCredential,
  type CredentialCarrier,
} from '../src/auth/credential.js';
import type { RequestHeaders } from '@claude-auth/core';

const KEY = 'cla_api_live_secretA';
const OTHER = 'cla_api_live_secretB';
const BOTH = CREDENTIAL_CARRIERS;
const STRICT: readonly CredentialCarrier[] = ['x-api-key'];
const BEARER_ONLY: readonly CredentialCarrier[] = ['bearer'];

const missing = { refused: 'missing_api_key' };
const invalid = { refused: 'invalid_api_key' };

describe('readCredential', () => {
  it.each<[string, RequestHeaders, readonly CredentialCarrier[], unknown]>([
    ['x-api-key alone', { 'x-api-key': KEY }, BOTH, KEY],
    ['bearer alone', { authorization: `Bearer ${KEY}` }, BOTH, KEY],
    ['bearer scheme in any case', { authorization: `bEaReR ${KEY}` }, BOTH, KEY],
    ['bearer with extra spaces and a tab', { authorization: `Bearer \t ${KEY} ` }, BOTH, KEY],
    ['both, same key', { 'x-api-key': KEY, authorization: `Bearer ${KEY}` }, BOTH, KEY],
    ['both, different keys', { 'x-api-key': KEY, authorization: `Bearer ${OTHER}` }, BOTH, invalid],
    [
      'empty x-api-key with a bearer',
      { 'x-api-key': '', authorization: `Bearer ${KEY}` },
      BOTH,
      invalid,
    ],
    ['empty bearer', { authorization: 'Bearer ' }, BOTH, invalid],
    ['bearer without a token', { authorization: 'Bearer' }, BOTH, invalid],
    [
      'empty bearer next to a valid x-api-key',
      { 'x-api-key': KEY, authorization: 'Bearer   ' },
      BOTH,
      invalid,
    ],
    ['another scheme, no x-api-key', { authorization: 'Basic dXNlcjpwYXNz' }, BOTH, invalid],
    ['scheme glued to the token', { authorization: `Bearer${KEY}` }, BOTH, invalid],
    ['empty authorization, no x-api-key', { authorization: '' }, BOTH, invalid],
    [
      'another scheme next to x-api-key',
      { 'x-api-key': KEY, authorization: 'Basic dXNlcjpwYXNz' },
      BOTH,
      KEY,
    ],
    [
      'authorization sent twice',
      { authorization: [`Bearer ${KEY}`, `Bearer ${KEY}`] },
      BOTH,
      invalid,
    ],
    ['comma-joined bearer', { authorization: `Bearer ${KEY}, ${KEY}` }, BOTH, invalid],
    ['x-api-key sent twice', { 'x-api-key': [KEY, KEY] }, BOTH, invalid],
    ['nothing', {}, BOTH, missing],
    ['empty x-api-key', { 'x-api-key': '' }, BOTH, missing],
    ['strict: bearer is ignored', { authorization: `Bearer ${KEY}` }, STRICT, missing],
    [
      'strict: a differing bearer does not matter',
      { 'x-api-key': KEY, authorization: `Bearer ${OTHER}` },
      STRICT,
      KEY,
    ],
    ['bearer only: x-api-key is ignored', { 'x-api-key': KEY }, BEARER_ONLY, missing],
    ['bearer only: bearer', { authorization: `Bearer ${KEY}` }, BEARER_ONLY, KEY],
  ])('%s', (_name, headers, carriers, expected) => {
    expect(readCredential(headers, carriers)).toStrictEqual(expected);
  });
});

describe('missingCredentialMessage and parseCredentialCarriers', () => {
  it('names the accepted headers', () => {
    expect(missingCredentialMessage(BOTH)).toBe(
      'Missing API key: send it in the x-api-key header or as Authorization: Bearer <key>',
    );
    expect(missingCredentialMessage(STRICT)).toBe(
      'Missing API key: send it in the x-api-key header',
    );
    expect(missingCredentialMessage(BEARER_ONLY)).toBe(
      'Missing API key: send it as Authorization: Bearer <key>',
    );
  });

  it.each<[unknown, unknown]>([
    [
      ['x-api-key', 'bearer'],
      ['x-api-key', 'bearer'],
    ],
    [['bearer'], ['bearer']],
    [[], undefined],
    [['x-api-key', 'x-api-key'], undefined],
    [['basic'], undefined],
    ['x-api-key', undefined],
    [null, undefined],
  ])('parseCredentialCarriers(%j)', (input, expected) => {
    expect(parseCredentialCarriers(input)).toStrictEqual(expected);
  });
});
