/**
 * Where a request's API key comes from: the `x-api-key` header (the spec's) or
 * `Authorization: Bearer <key>` (what today's official TypeScript SDK sends), and the rules when
 * both, or something else, arrive.
 */
import type { RequestHeaders } from './types.js';

/** A header that may carry the API key. */
export type CredentialCarrier = 'x-api-key' | 'bearer';

/**
 * Every carrier, in the order they are named; also the default (both accepted).
 *
 * @example
 * ```ts
 * createAuthenticator({ credentials: ['x-api-key'] }); // the spec's strict form only
 * CREDENTIAL_CARRIERS; // ['x-api-key', 'bearer']
 * ```
 */
export const CREDENTIAL_CARRIERS: readonly CredentialCarrier[] = ['x-api-key', 'bearer'];

/** Why no usable secret was found: no credential at all, or an unusable one (a uniform 401). */
export interface CredentialRefusal {
  readonly refused: 'missing_api_key' | 'invalid_api_key';
}

// Two shared answers: reading a credential allocates nothing.
const MISSING: CredentialRefusal = Object.freeze({ refused: 'missing_api_key' });
const INVALID: CredentialRefusal = Object.freeze({ refused: 'invalid_api_key' });

const BEARER = /^bearer(?:[ \t]+|$)/i;

/**
 * Reads the API key from a request's headers under the accepted `carriers` (default both).
 * Returns the secret (a string, still to be checked for format, checksum and store), or a
 * {@link CredentialRefusal} saying why there is none:
 *
 * - `missing_api_key`: neither an accepted header nor (with `bearer`) an `Authorization` header.
 * - `invalid_api_key`: a header sent twice, an empty bearer, `x-api-key` and bearer with
 *   different values, or (no `x-api-key`) an `Authorization` header of another scheme.
 *
 * Both headers with the same key are accepted. When `bearer` is not accepted, `Authorization` is
 * ignored, exactly as before it was supported. Nothing here allocates on the common paths.
 *
 * @example
 * ```ts
 * readCredential({ authorization: `Bearer ${key}` }, CREDENTIAL_CARRIERS); // key
 * readCredential({ authorization: 'Basic dTpw' }, CREDENTIAL_CARRIERS); // { refused: 'invalid_api_key' }
 * readCredential({}, ['x-api-key']); // { refused: 'missing_api_key' }
 * ```
 */
export function readCredential(
  headers: RequestHeaders,
  carriers: readonly CredentialCarrier[] = CREDENTIAL_CARRIERS,
): string | CredentialRefusal {
  const apiKey = carriers.includes('x-api-key') ? headers['x-api-key'] : undefined;
  const authorization = carriers.includes('bearer') ? headers.authorization : undefined;
  if (authorization === undefined) return single(apiKey);

  // Node keeps one `authorization` header; an array can still come from a hand-made request.
  if (typeof authorization !== 'string') return INVALID;
  const scheme = BEARER.exec(authorization);
  if (scheme === null) {
    // Another scheme (Basic, Digest, …): not our credential; without x-api-key, a refusal.
    return apiKey === undefined ? INVALID : single(apiKey);
  }
  const token = authorization.slice(scheme[0].length).trim();
  if (token === '') return INVALID;
  if (apiKey !== undefined && apiKey !== token) return INVALID;
  return single(token);
}

/** One header value: absent or empty is missing; repeated (array or comma-joined) is invalid. */
function single(value: string | string[] | undefined): string | CredentialRefusal {
  if (value === undefined || value === '') return MISSING;
  if (typeof value !== 'string' || value.includes(',')) return INVALID;
  return value;
}

/**
 * The 401 message for a request without a credential, naming the accepted headers.
 *
 * @example
 * ```ts
 * missingCredentialMessage(['x-api-key']); // 'Missing API key: send it in the x-api-key header'
 * ```
 */
export function missingCredentialMessage(carriers: readonly CredentialCarrier[]): string {
  const apiKey = carriers.includes('x-api-key');
  const bearer = carriers.includes('bearer');
  if (apiKey && bearer) {
    return 'Missing API key: send it in the x-api-key header or as Authorization: Bearer <key>';
  }
  return bearer
    ? 'Missing API key: send it as Authorization: Bearer <key>'
    : 'Missing API key: send it in the x-api-key header';
}

/**
 * What a `credentials` setting must be, for error messages in the options and the configuration.
 *
 * @example
 * ```ts
 * `credentials must be ${CREDENTIALS_EXPECTED}`;
 * ```
 */
export const CREDENTIALS_EXPECTED = `a non-empty list of distinct values from ${CREDENTIAL_CARRIERS.join(', ')}`;

/**
 * Validates a `credentials` setting: a non-empty list of distinct carriers. Returns it frozen, or
 * `undefined` when it is not one (the caller reports {@link CREDENTIALS_EXPECTED} its own way).
 *
 * @example
 * ```ts
 * parseCredentialCarriers(['x-api-key']); // ['x-api-key']
 * parseCredentialCarriers(['basic']); // undefined
 * ```
 */
export function parseCredentialCarriers(value: unknown): readonly CredentialCarrier[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const list = value as unknown[];
  for (const [i, carrier] of list.entries()) {
    if (!CREDENTIAL_CARRIERS.includes(carrier as CredentialCarrier) || list.indexOf(carrier) !== i)
      return undefined;
  }
  return Object.freeze([...(list as CredentialCarrier[])]);
}
