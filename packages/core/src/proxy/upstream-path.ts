/**
 * The forwarded path must mean the same to every server on the way. A path with dot segments,
 * empty segments, backslashes, or percent-encoded characters that have a plain spelling
 * (letters, digits, `-._~`) or that separate segments (`/`, `\`) could be normalised by the
 * upstream or a front-end into another route (`/v1/%6Frganizations/...`, `/v1/models/../x`), so
 * it is refused instead of forwarded.
 */

const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;
// %2F %5C (separators) and the encodings of unreserved characters: 0-9 A-Z a-z - . _ ~
const AMBIGUOUS_ESCAPE = /%(?:2[def]|3\d|[46][1-9a-f]|[57][0-9a]|5[cf]|7e)/i;

/**
 * Whether `url`'s path (the part before `?`) is canonical: forwarding it cannot reach a route
 * other than the one it names.
 *
 * @example
 * ```ts
 * isCanonicalPath('/v1/messages?beta=true'); // true
 * isCanonicalPath('/v1/%6Frganizations/api_keys'); // false
 * ```
 */
export function isCanonicalPath(url: string): boolean {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return (
    path.startsWith('/') &&
    !path.includes('//') &&
    !path.includes('\\') &&
    !DOT_SEGMENT.test(path) &&
    !AMBIGUOUS_ESCAPE.test(path)
  );
}
