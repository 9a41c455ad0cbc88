/**
 * The API key format (DESIGN.md, "Keys"):
 *
 * ```
 * <issuer>_<kind>_<environment>_<random><checksum>
 * cla_api_live_<43 base62 characters: 256 CSPRNG bits><6 base62 characters: CRC-32>
 * ```
 *
 * The checksum is the CRC-32 of everything before it, so a mistyped or truncated key is refused
 * without a store lookup, and secret scanners can confirm a match offline.
 */
import { ConfigurationError } from '../errors/claude-auth-error.js';
import type { KeyKind } from '../store/key-store.js';
import { encodeBase62, randomBase62 } from './base62.js';
import { crc32 } from './crc32.js';

/** Base62 characters of randomness in a key: 43 × log2(62) ≈ 256.03 bits. */
export const KEY_RANDOM_LENGTH = 43;
/** Base62 characters of the CRC-32 checksum (62^6 > 2^32). */
export const KEY_CHECKSUM_LENGTH = 6;
/** Longest possible key: 8 (issuer) + 5 (`admin`) + 16 (environment) + 3 separators + 49. */
export const KEY_MAX_LENGTH = 8 + 5 + 16 + 3 + KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH;
/** Shortest possible key: 2 (issuer) + 3 (`api`) + 1 (environment) + 3 separators + 49. */
export const KEY_MIN_LENGTH = 2 + 3 + 1 + 3 + KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH;

/** The default issuer prefix. */
export const DEFAULT_ISSUER = 'cla';
/** The default environment. */
export const DEFAULT_ENVIRONMENT = 'live';

const ISSUER_RE = /^[a-z]{2,8}$/;
const ENVIRONMENT_RE = /^[a-z0-9]{1,16}$/;
const KINDS: readonly KeyKind[] = ['api', 'admin'];

const BODY = '[a-z]{2,8}_(?:api|admin)_[a-z0-9]{1,16}_[0-9A-Za-z]{49}';

/**
 * Matches every claude-auth API key, anywhere in a text: publish it to secret scanners
 * (GitHub secret scanning, gitleaks, trufflehog). It uses only RE2-compatible syntax (no
 * lookaround), carries no flags (in particular not `g`, so `test()` is stateless) and is
 * bounded by `\b` on both sides. It matches the shape only; confirm a hit with
 * {@link parseApiKey}, which also checks the CRC-32.
 *
 * Source: `\b[a-z]{2,8}_(?:api|admin)_[a-z0-9]{1,16}_[0-9A-Za-z]{49}\b`
 *
 * @example
 * ```ts
 * const leaked = text.match(new RegExp(KEY_PATTERN.source, 'g')) ?? [];
 * const real = leaked.filter((candidate) => parseApiKey(candidate) !== null);
 * ```
 */
export const KEY_PATTERN = new RegExp(`\\b${BODY}\\b`);

/**
 * {@link KEY_PATTERN} anchored at both ends: a whole string that has the shape of a key.
 *
 * @example
 * ```ts
 * KEY_REGEX.test(process.env.ANTHROPIC_API_KEY ?? ''); // true for a well-formed key
 * ```
 */
export const KEY_REGEX = new RegExp(`^${BODY}$`);

const PARSE_RE = /^([a-z]{2,8})_(api|admin)_([a-z0-9]{1,16})_[0-9A-Za-z]{49}$/;

/** What the prefix of a well-formed key says. */
export interface ParsedApiKey {
  issuer: string;
  kind: KeyKind;
  environment: string;
}

/** Options of {@link generateApiKey}. */
export interface GenerateApiKeyOptions {
  /** `api` (default) or `admin`. */
  kind?: KeyKind;
  /** `[a-z0-9]{1,16}`, default `live`. */
  environment?: string;
  /** `[a-z]{2,8}`, default `cla`. */
  issuer?: string;
}

function checksum(body: string): string {
  return encodeBase62(crc32(body), KEY_CHECKSUM_LENGTH);
}

/**
 * A new secret API key with 256 bits of CSPRNG randomness. Show it once; store only
 * `hashKey(secret)`. Throws `ConfigurationError` for an invalid kind, environment or issuer.
 *
 * @example
 * ```ts
 * const secret = generateApiKey({ environment: 'test' }); // 'cla_api_test_…'
 * ```
 */
export function generateApiKey(options: GenerateApiKeyOptions = {}): string {
  const kind = options.kind ?? 'api';
  const environment = options.environment ?? DEFAULT_ENVIRONMENT;
  const issuer = options.issuer ?? DEFAULT_ISSUER;
  if (!KINDS.includes(kind)) {
    throw new ConfigurationError('Key kind must be "api" or "admin"', {
      field: 'kind',
      code: 'CLAUDE_AUTH_INVALID_OPTION',
    });
  }
  if (!ENVIRONMENT_RE.test(environment)) {
    throw new ConfigurationError('Key environment must match [a-z0-9]{1,16}', {
      field: 'environment',
      code: 'CLAUDE_AUTH_INVALID_OPTION',
    });
  }
  if (!ISSUER_RE.test(issuer)) {
    throw new ConfigurationError('Key issuer must match [a-z]{2,8}', {
      field: 'issuer',
      code: 'CLAUDE_AUTH_INVALID_OPTION',
    });
  }
  const body = `${issuer}_${kind}_${environment}_${randomBase62(KEY_RANDOM_LENGTH)}`;
  return body + checksum(body);
}

/**
 * Checks the shape and the CRC-32 of a presented key, without any I/O. Returns `null` for anything
 * that is not a well-formed key: wrong type or length, non-ASCII, bad prefix, bad checksum. Never
 * throws; runs in time linear in a bounded length (oversized input is refused before any regex).
 *
 * @example
 * ```ts
 * const parsed = parseApiKey(req.headers['x-api-key']);
 * if (!parsed || parsed.environment !== 'live') return reject();
 * ```
 */
export function parseApiKey(value: string): ParsedApiKey | null {
  if (typeof value !== 'string' || value.length < KEY_MIN_LENGTH || value.length > KEY_MAX_LENGTH) {
    return null;
  }
  const match = PARSE_RE.exec(value);
  if (!match) return null;
  const split = value.length - KEY_CHECKSUM_LENGTH;
  if (checksum(value.slice(0, split)) !== value.slice(split)) return null;
  return { issuer: match[1]!, kind: match[2] as KeyKind, environment: match[3]! };
}

/**
 * A safe-to-show hint of a key: its prefix, an ellipsis and its last four characters
 * (`cla_api_live_…Ab3x`). Reveals about 24 bits of the 256 random ones plus the public checksum.
 *
 * @example
 * ```ts
 * keyHint(secret); // 'cla_api_live_…Ab3x'
 * ```
 */
export function keyHint(secret: string): string {
  if (typeof secret !== 'string') return '…';
  const match = /^[a-z]{2,8}_(?:api|admin)_[a-z0-9]{1,16}_/.exec(secret.slice(0, 32));
  const prefix = match ? match[0] : '';
  const tail = secret.length >= prefix.length + 16 ? secret.slice(-4) : '';
  return `${prefix}…${tail}`;
}
