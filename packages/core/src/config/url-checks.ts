/** Checks of configuration URLs; a URL may hold credentials, so it is never echoed. */
import { invalid, type ValueSource } from './config-problem.js';

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** @internal `sqlite:<path>`, a PostgreSQL URL or `memory:`, else throws without echoing it. @example `checkStoreUrl('sqlite:keys.db', where)` */
export function checkStoreUrl(value: unknown, where: ValueSource): string {
  const expected = 'sqlite:<path> or a postgres:// / postgresql:// URL';
  if (typeof value === 'string' && value.startsWith('sqlite:') && value.length > 'sqlite:'.length) {
    return value;
  }
  if (value === 'memory:') return value;
  const url = parseUrl(value);
  if (
    url !== undefined &&
    (url.protocol === 'postgres:' || url.protocol === 'postgresql:') &&
    url.host !== ''
  ) {
    return value as string;
  }
  return invalid(where, expected, value, false);
}

/**
 * @internal A Redis URL, or `false` (no Redis; `null`, the resolved form, is accepted too), else
 * throws without echoing it. @example `checkRedisUrl('redis://127.0.0.1:6379', where)`
 */
export function checkRedisUrl(value: unknown, where: ValueSource): string | null {
  if (value === false || value === null) return null;
  const url = parseUrl(value);
  if (
    url !== undefined &&
    (url.protocol === 'redis:' || url.protocol === 'rediss:') &&
    url.host !== ''
  ) {
    return value as string;
  }
  return invalid(where, 'a redis:// or rediss:// URL, or false for none', value, false);
}

/** @internal An http(s) base URL without credentials, trailing slashes removed. @example `checkBaseUrl('https://api.anthropic.com/', where)` */
export function checkBaseUrl(value: unknown, where: ValueSource): string {
  const url = parseUrl(value);
  if (
    url !== undefined &&
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.search === '' &&
    url.hash === '' &&
    url.username === '' &&
    url.password === ''
  ) {
    return (value as string).replace(/\/+$/, '');
  }
  return invalid(
    where,
    'an http:// or https:// URL without credentials, query or fragment',
    value,
    false,
  );
}
