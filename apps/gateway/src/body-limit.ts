/** The gateway's request body limit, checked before anything is forwarded upstream. */
import express, { type RequestHandler } from 'express';
import { createAuthError, type ErrorVocabulary } from '@claude-auth/core';

/** The Messages API's request size limit: 32 MB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Refuses a request body above `maxBytes` with the contract's 413 (`request_too_large`), never
 * forwarding it. A declared `content-length` above the limit is refused at once (the upload is
 * read off and discarded first, so the caller sees the 413 rather than a reset connection); a
 * body without a length (chunked) could not be bounded while streaming it upstream, so it is read
 * here as JSON up to the limit (413 above it, 400 when it is not JSON) and forwarded re-serialized.
 *
 * @example
 * ```ts
 * app.use('/v1', bodyLimit(DEFAULT_MAX_BODY_BYTES, 'claude'), claudeProxy(proxy));
 * ```
 */
export function bodyLimit(maxBytes: number, vocabulary: ErrorVocabulary): RequestHandler {
  const chunkedJson = express.json({
    limit: maxBytes,
    inflate: false,
    strict: false,
    type: () => true,
  });
  return (req, res, next) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined) {
      if (Number(declared) <= maxBytes) {
        next();
        return;
      }
      const refuse = (): void => next(createAuthError('request_too_large', { vocabulary }));
      req.once('end', refuse);
      req.once('error', refuse);
      req.resume();
      return;
    }
    if (req.headers['transfer-encoding'] === undefined) {
      next(); // no body
      return;
    }
    chunkedJson(req, res, next);
  };
}
