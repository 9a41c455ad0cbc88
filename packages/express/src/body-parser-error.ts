import {
  ClaudeAuthError,
  InvalidRequestError,
  isClaudeAuthError,
  RequestTooLargeError,
  type ErrorVocabulary,
} from '@claude-auth/core';

/** The fields `body-parser` (and `raw-body`) put on the errors it raises. */
interface BodyParserError {
  status?: unknown;
  type?: unknown;
}

/** body-parser's `type` values: `entity.parse.failed`, `entity.too.large`, `encoding.unsupported`, ... */
const BODY_ERROR_TYPE = /^[a-z]+(?:\.[a-z]+)+$/;

/**
 * Maps a `body-parser` / `express.json()` error to its contract error, with a fixed message (the
 * original echoes part of the body, which may hold a key). Anything else yields `undefined`.
 */
export function fromBodyParserError(
  error: unknown,
  vocabulary: ErrorVocabulary,
): ClaudeAuthError | undefined {
  if (typeof error !== 'object' || error === null || isClaudeAuthError(error)) return undefined;
  const { status, type } = error as BodyParserError;
  if (typeof type !== 'string' || !BODY_ERROR_TYPE.test(type)) return undefined;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (status === 413) {
    const message = 'Request body is too large';
    return vocabulary === 'claude'
      ? new RequestTooLargeError(message)
      : new ClaudeAuthError(413, 'invalid_request_error', message);
  }
  if (type === 'entity.parse.failed')
    return new InvalidRequestError('Request body is not valid JSON');
  return new InvalidRequestError('Request body could not be read', {
    status: status === 415 ? 415 : 400,
  });
}
