/** The Admin API's id cursors (`after_id` / `before_id` / `limit`) on top of the store's pages. */
import { InvalidRequestError } from '@claude-auth/core';
import { encodeCursor } from '@claude-auth/core/store';
import { list, readLimit, single } from './params.js';

/** What a listed object needs for paging: its id and creation time (the store's order). */
export interface Positioned {
  id: string;
  createdAt: Date;
}

/** A page in the Admin API's shape. */
export interface IdPage<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** How to read one kind of object: a store page after a cursor, and one object by id. */
export interface PageSource<T extends Positioned> {
  /** Newest first, after the store cursor `after` (none: from the newest). */
  page(after: string | undefined, limit: number): Promise<{ data: T[]; hasMore: boolean }>;
  /** The object with this id, or `null`. */
  find(id: string): Promise<Positioned | null>;
  /** What the objects are called in an error message, e.g. `API key`. */
  noun: string;
}

/** True when `a` comes before `b` in the store's order (newest first, then id descending). */
function before(a: Positioned, b: Positioned): boolean {
  const dt = a.createdAt.getTime() - b.createdAt.getTime();
  return dt > 0 || (dt === 0 && a.id > b.id);
}

/**
 * One page for `after_id` (older than that object), `before_id` (the `limit` objects just newer
 * than it, still newest first; `has_more` when there are newer ones still) or neither (the newest).
 * Default limit 20, at most 1000, as the Admin API.
 *
 * @example
 * ```ts
 * const page = await idPage(queryOf(req), { page: (after, limit) => keys.listKeys({ after, limit }), find, noun: 'API key' });
 * ```
 */
export async function idPage<T extends Positioned>(
  query: URLSearchParams,
  source: PageSource<T>,
): Promise<IdPage<T>> {
  const limit = readLimit(query, 20);
  const afterId = single(query, 'after_id');
  const beforeId = single(query, 'before_id');
  if (list(query, 'after_id[]').length > 0 || list(query, 'before_id[]').length > 0) {
    throw new InvalidRequestError('after_id and before_id take one id each');
  }
  if (afterId !== undefined && beforeId !== undefined) {
    throw new InvalidRequestError('Give after_id or before_id, not both');
  }
  const reference = async (id: string, field: string): Promise<Positioned> => {
    const found = id === '' ? null : await source.find(id);
    if (found === null) {
      throw new InvalidRequestError(`${field} does not name an existing ${source.noun}`);
    }
    return found;
  };

  let data: T[];
  let hasMore: boolean;
  if (beforeId === undefined) {
    const after =
      afterId === undefined ? undefined : encodeCursor(await reference(afterId, 'after_id'));
    const page = await source.page(after, limit);
    data = page.data.slice(0, limit);
    hasMore = page.hasMore || page.data.length > limit;
  } else {
    // The store pages forwards only: walk from the newest to the reference, keeping the last `limit`.
    const ref = await reference(beforeId, 'before_id');
    data = [];
    hasMore = false;
    let after: string | undefined;
    walk: for (;;) {
      const page = await source.page(after, 1000);
      for (const item of page.data) {
        if (!before(item, ref)) break walk;
        data.push(item);
        if (data.length > limit) {
          data.shift();
          hasMore = true;
        }
      }
      const last = page.data.at(-1);
      if (!page.hasMore || last === undefined) break;
      after = encodeCursor(last);
    }
  }
  return {
    data,
    has_more: hasMore,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
  };
}
