import type { RequestHeaders } from './types.js';

/**
 * True when a request carries a body, whatever its method: a `content-length` above zero, or any
 * `transfer-encoding`.
 *
 * @example
 * ```ts
 * hasBody({ 'content-length': '12' }); // true
 * hasBody({ 'content-length': '0' }); // false
 * hasBody({ 'transfer-encoding': 'chunked' }); // true
 * ```
 */
export function hasBody(headers: RequestHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  if (length === undefined) return false;
  if (typeof length !== 'string') return true; // duplicated: let the check refuse it
  if (length === '0') return false;
  // Anything but a clean zero counts as a body (including malformed values).
  return !/^\s*0+\s*$/.test(length);
}

const CHARSET_UTF8 = /^charset\s*=\s*(?:"utf-8"|utf-8)$/i;

/**
 * True for `application/json`, case-insensitive, optionally with `; charset=utf-8` (JSON text is
 * UTF-8, RFC 8259). Any other parameter, another charset, `text/json` or a list is refused.
 *
 * @example
 * ```ts
 * isJsonContentType('application/json'); // true
 * isJsonContentType('Application/JSON; charset=UTF-8'); // true
 * isJsonContentType('text/plain'); // false
 * ```
 */
export function isJsonContentType(value: string | string[] | undefined): boolean {
  if (typeof value !== 'string') return false;
  if (value === 'application/json') return true;
  const semi = value.indexOf(';');
  const type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  if (type !== 'application/json') return false;
  if (semi === -1) return true;
  const params = value.slice(semi + 1).split(';');
  for (const param of params) {
    const p = param.trim();
    if (p === '') continue;
    if (!CHARSET_UTF8.test(p)) return false;
  }
  return true;
}
