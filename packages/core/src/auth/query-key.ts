/**
 * Query-string parameter names (compared case-insensitively, `-` and `_` alike) that carry an
 * API key when a client wrongly puts it in the URL, where proxies and logs would keep it.
 */
export const QUERY_KEY_PARAMS: readonly string[] = [
  'api_key',
  'apikey',
  'x_api_key',
  'key',
  'anthropic_api_key',
  'access_token',
];

const NAMES = new Set(QUERY_KEY_PARAMS);

function normalise(name: string): string {
  let decoded = name;
  if (decoded.includes('%') || decoded.includes('+')) {
    try {
      decoded = decodeURIComponent(decoded.replaceAll('+', ' '));
    } catch {
      // A malformed escape is not a key name; compare it as sent.
    }
  }
  return decoded.trim().toLowerCase().replaceAll('-', '_');
}

/**
 * True when the URL's query string has a parameter that carries an API key (`?api_key=`,
 * `?x-api-key=`, `?key=`, `?apikey=`, `?anthropic_api_key=`, `?access_token=`; any case).
 * Returns at once, without allocating, for URLs with no query string.
 *
 * @example
 * ```ts
 * hasKeyInQuery('/v1/messages?X-Api-Key=cla_api_live_...'); // true
 * hasKeyInQuery('/v1/messages?beta=true'); // false
 * ```
 */
export function hasKeyInQuery(url: string): boolean {
  const start = url.indexOf('?');
  if (start === -1) return false;
  const hashAt = url.indexOf('#', start);
  const query = hashAt === -1 ? url.slice(start + 1) : url.slice(start + 1, hashAt);
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (NAMES.has(normalise(eq === -1 ? pair : pair.slice(0, eq)))) return true;
  }
  return false;
}
