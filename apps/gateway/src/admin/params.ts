/** Reading the admin API's query strings and JSON bodies: every mistake is a 400 naming the field. */
import { InvalidRequestError } from '@claude-auth/core';
import type { Request } from 'express';

/** The request's query string, parsed the way the official SDK writes it (`name[]=a&name[]=b`). */
export function queryOf(req: Request): URLSearchParams {
  return new URL(req.originalUrl, 'http://gateway.invalid').searchParams;
}

/** A single-valued query parameter, or `undefined`; 400 when it is given more than once. */
export function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw new InvalidRequestError(`${name} must be given at most once`);
  return values[0];
}

/** A list parameter: `name[]=a&name[]=b` (the SDK's form) or `name=a&name=b`. */
export function list(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(`${name}[]`), ...query.getAll(name)];
}

/** `limit`: an integer from 1 to `max`, default `fallback`. */
export function readLimit(query: URLSearchParams, fallback: number, max = 1000): number {
  const raw = single(query, 'limit');
  if (raw === undefined || raw === '') return fallback;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(limit) || limit < 1 || limit > max) {
    throw new InvalidRequestError(`limit must be an integer from 1 to ${max}`);
  }
  return limit;
}

/** A boolean query parameter (`true`/`false`), default `fallback`. */
export function readBoolean(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new InvalidRequestError(`${name} must be true or false`);
}

/** The JSON body as an object (`{}` when there is none); 400 for an array or a scalar. */
export function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** A field that must be absent, `null` or a string. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidRequestError(`${field} must be a string`);
  return value;
}

/** An optional RFC 3339 instant: `undefined` when absent, `null` when `null`. */
export function optionalInstant(
  body: Record<string, unknown>,
  field: string,
): Date | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null) return null;
  const at = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new InvalidRequestError(`${field} must be an RFC 3339 date-time string or null`);
  }
  return at;
}

/** An optional amount of US dollars: `undefined` when absent, `null` when `null`. */
export function optionalUsd(
  body: Record<string, unknown>,
  field: string,
): number | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1e9) {
    throw new InvalidRequestError(`${field} must be a number of US dollars from 0 to 1e9, or null`);
  }
  return value;
}

/** An optional rate limit `{ rpm, burst? }` (wire name `rate_limit`); `null` clears it. */
export function optionalRateLimit(
  body: Record<string, unknown>,
  field: string,
): { rpm: number; burst?: number } | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidRequestError(`${field} must be an object { rpm, burst? } or null`);
  }
  const { rpm, burst } = value as Record<string, unknown>;
  const isCount = (n: unknown): n is number =>
    typeof n === 'number' && Number.isInteger(n) && n >= 1;
  if (!isCount(rpm)) throw new InvalidRequestError(`${field}.rpm must be a positive integer`);
  if (burst !== undefined && !isCount(burst)) {
    throw new InvalidRequestError(`${field}.burst must be a positive integer`);
  }
  return burst === undefined ? { rpm } : { rpm, burst };
}

/** A caller-supplied name for an error message: quoted when it looks like a field name, else not at all. */
export function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.[\]]{0,63}$/.test(name) ? JSON.stringify(name) : '(not shown)';
}

/** 400 when the body holds a field this route does not know (a typo must not pass silently). */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const field of Object.keys(body)) {
    if (!allowed.includes(field)) {
      throw new InvalidRequestError(
        `Unknown field ${quoteName(field)}; expected one of ${allowed.join(', ')}`,
      );
    }
  }
}

/**
 * 400 naming every query parameter this route does not implement (a filter the gateway ignored
 * would give unfiltered results that look filtered). `allowed` names single parameters as is and
 * list parameters with `[]` (both `name[]` and `name` are then accepted).
 *
 * @example
 * ```ts
 * onlyParams(queryOf(req), ['limit', 'after_id', 'before_id', 'models[]']);
 * ```
 */
export function onlyParams(query: URLSearchParams, allowed: readonly string[]): void {
  const known = new Set(
    allowed.flatMap((name) => (name.endsWith('[]') ? [name, name.slice(0, -2)] : [name])),
  );
  const unknown = [...new Set(query.keys())].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new InvalidRequestError(
      `Unsupported query parameter${unknown.length === 1 ? '' : 's'} ${unknown.map(quoteName).join(', ')}: this gateway does not implement ${unknown.length === 1 ? 'it' : 'them'}; supported: ${allowed.join(', ')}`,
    );
  }
}
