import type { Context } from 'koa';

/** Errors shaped like `raw-body` / `co-body`'s, as Koa body parsers raise them. */
const bodyError = (message: string, status: number, type: string) =>
  Object.assign(new Error(message), { status, type });

/**
 * Minimal JSON body reader for the tests (what `@koa/bodyparser` does), with a size limit; it
 * decodes no `content-encoding` and refuses one (415), as `raw-body` does for an unknown one.
 */
export async function readJsonBody(ctx: Context, limit: number): Promise<unknown> {
  const encoding = ctx.get('content-encoding').toLowerCase();
  if (encoding !== '' && encoding !== 'identity')
    throw bodyError('unsupported content encoding', 415, 'encoding.unsupported');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw bodyError('request entity too large', 413, 'entity.too.large');
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw bodyError('invalid JSON', 400, 'entity.parse.failed');
  }
}
