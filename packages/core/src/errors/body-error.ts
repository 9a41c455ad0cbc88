import { createAuthError, type ClaudeAuthError } from './claude-auth-error.js';
import type { ErrorVocabulary } from './error-table.js';

/** Fields the common body parsers put on their errors. */
interface BodyErrorFields {
  /** body-parser / raw-body / co-body (Express, Koa): `entity.parse.failed`, `entity.too.large`, ... */
  type?: unknown;
  /** Fastify: `FST_ERR_CTP_INVALID_JSON_BODY`, `FST_ERR_CTP_BODY_TOO_LARGE`, ... */
  code?: unknown;
  /** zlib / brotli errors (a corrupt `content-encoding` body) carry a numeric `errno`. */
  errno?: unknown;
  status?: unknown;
  statusCode?: unknown;
}

/** body-parser's `type` values are dotted lower-case words. */
const BODY_PARSER_TYPE = /^[a-z]+(?:\.[a-z]+)+$/;

/**
 * Maps a request-body error raised by a framework's body parser (`express.json()`,
 * `@koa/bodyparser`/`co-body`, Fastify's content-type parsers) to its contract error with a fixed
 * message: the parser's own message may quote the body, which may hold a key. Malformed JSON →
 * 400, too large → 413, unsupported media type, charset or content encoding → 415, a body that
 * cannot be read (aborted, corrupt `content-encoding`, wrong length) → 400; anything else that is
 * not a body-parser error yields `undefined`.
 *
 * @example
 * ```ts
 * fromBodyError({ type: 'entity.too.large', status: 413 }, 'claude')?.type; // 'request_too_large'
 * fromBodyError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }, 'spec')?.status; // 415
 * fromBodyError(new Error('boom'), 'spec'); // undefined
 * ```
 */
export function fromBodyError(
  error: unknown,
  vocabulary: ErrorVocabulary,
): ClaudeAuthError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, code, errno, status, statusCode } = error as BodyErrorFields;
  const fromBodyParser =
    typeof type === 'string' && BODY_PARSER_TYPE.test(type) && typeof status === 'number';
  // body-parser passes a decompression failure on as the zlib error itself, given a 400 status
  // and no `type` (`Z_DATA_ERROR`, `Z_BUF_ERROR`, brotli's `ERR__ERROR_FORMAT_…`).
  const fromDecompression =
    typeof code === 'string' && typeof errno === 'number' && typeof status === 'number';
  const fromFastify = typeof code === 'string' && code.startsWith('FST_ERR_CTP_');
  const httpStatus = fromBodyParser || fromDecompression ? status : statusCode;
  if (!(fromBodyParser || fromDecompression || fromFastify) || typeof httpStatus !== 'number')
    return undefined;
  if (httpStatus < 400 || httpStatus > 499) return undefined;
  if (httpStatus === 413) return createAuthError('request_too_large', { vocabulary });
  if (httpStatus === 415) return createAuthError('unsupported_media_type', { vocabulary });
  if (type === 'entity.parse.failed' || code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return createAuthError('invalid_body', { vocabulary });
  }
  return createAuthError('invalid_body', { vocabulary, message: 'Request body could not be read' });
}
