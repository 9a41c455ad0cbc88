/** Reading a JSON body from a raw Node request, for frameworks without a JSON body parser. */
import type { IncomingMessage } from 'node:http';
import { createAuthError, InvalidRequestError, type ErrorVocabulary } from '@claude-auth/core';

/**
 * Largest request body the demos read (1 MiB).
 *
 * @example
 * ```ts
 * app.use(express.json({ limit: MAX_BODY_BYTES }));
 * ```
 */
export const MAX_BODY_BYTES = 1_048_576;

/**
 * Reads and parses a JSON request body of at most {@link MAX_BODY_BYTES}: malformed JSON is the
 * contract's 400 (`invalid_body`), an oversized body its 413 (`request_too_large`), in
 * `vocabulary` (default `spec`); a `content-encoding` other than `identity` is refused with 415
 * (the demos decode none). It never hangs on a client that stops sending (the server's
 * request timeout applies) and never quotes the body.
 *
 * @example
 * ```ts
 * const request = parseMessagesRequest(await readJsonBody(ctx.req, authenticator.options.vocabulary));
 * ```
 */
export async function readJsonBody(
  req: IncomingMessage,
  vocabulary: ErrorVocabulary = 'spec',
): Promise<unknown> {
  // Nothing is decoded: a compressed (or unknown) encoding would be read as garbage. 415.
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity')
    throw createAuthError('unsupported_media_type', { vocabulary });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw createAuthError('request_too_large', { vocabulary });
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new InvalidRequestError('Request body must be a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw createAuthError('invalid_body', { vocabulary });
  }
}
