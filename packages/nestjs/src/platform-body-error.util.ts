import {
  ClaudeAuthError,
  InvalidRequestError,
  RequestTooLargeError,
  createAuthError,
  type ErrorVocabulary,
} from '@claude-auth/core';

/** Fields the platforms' body parsers put on their errors. */
interface BodyErrorFields {
  /** body-parser (Express): `entity.parse.failed`, `entity.too.large`, ... */
  type?: unknown;
  /** Fastify: `FST_ERR_CTP_INVALID_JSON_BODY`, `FST_ERR_CTP_BODY_TOO_LARGE`, ... */
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
}

/**
 * Maps a request-body error raised before any guard runs (Express `body-parser`, Fastify's
 * content-type parsers) to its contract error, with a fixed message: the original may echo part
 * of the body, which may hold a key. Anything else yields `undefined`.
 *
 * @example
 * ```ts
 * fromPlatformBodyError({ type: 'entity.too.large', status: 413 }, 'claude')?.type; // 'request_too_large'
 * fromPlatformBodyError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }, 'spec')?.status; // 415
 * fromPlatformBodyError(new Error('boom'), 'spec'); // undefined
 * ```
 */
export function fromPlatformBodyError(
  error: unknown,
  vocabulary: ErrorVocabulary,
): ClaudeAuthError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, code, status, statusCode } = error as BodyErrorFields;
  const fromExpress = typeof type === 'string' && typeof status === 'number';
  const fromFastify = typeof code === 'string' && code.startsWith('FST_ERR_CTP_');
  const httpStatus = fromExpress ? status : statusCode;
  if (!(fromExpress || fromFastify) || typeof httpStatus !== 'number') return undefined;
  if (httpStatus < 400 || httpStatus > 499) return undefined;
  if (httpStatus === 413) {
    const message = 'Request body is too large';
    return vocabulary === 'claude'
      ? new RequestTooLargeError(message)
      : new ClaudeAuthError(413, 'invalid_request_error', message);
  }
  if (httpStatus === 415) return createAuthError('unsupported_media_type', { vocabulary });
  if (type === 'entity.parse.failed' || code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new InvalidRequestError('Request body is not valid JSON');
  }
  return new InvalidRequestError('Request body could not be read');
}
