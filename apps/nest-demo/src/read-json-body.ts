import type { IncomingMessage } from 'node:http';
import { ClaudeAuthError, InvalidRequestError } from '@claude-auth/core';

/** Largest request body the demo reads. */
export const MAX_BODY_BYTES = 1_048_576;

/**
 * Reads and parses a JSON request body (at most {@link MAX_BODY_BYTES}); throws
 * `InvalidRequestError` for malformed JSON and a 413 for an oversized body, never hangs on a
 * client that stops sending (the server's request timeout applies).
 *
 * @example
 * ```ts
 * const body = await readJsonBody(ctx.req);
 * ```
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new ClaudeAuthError(413, 'invalid_request_error', 'Request body is too large');
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new InvalidRequestError('Request body must be a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidRequestError('Request body is not valid JSON');
  }
}
