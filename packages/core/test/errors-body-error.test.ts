import { describe, expect, it } from 'vitest';
import { fromBodyError } from '@claude-auth/core';

describe('fromBodyError', () => {
  it.each([
    [
      'body-parser malformed JSON',
      { type: 'entity.parse.failed', status: 400 },
      'spec',
      400,
      'invalid_request_error',
    ],
    [
      'body-parser too large (spec)',
      { type: 'entity.too.large', status: 413 },
      'spec',
      413,
      'invalid_request_error',
    ],
    [
      'body-parser too large (claude)',
      { type: 'entity.too.large', status: 413 },
      'claude',
      413,
      'request_too_large',
    ],
    [
      'body-parser unsupported charset',
      { type: 'charset.unsupported', status: 415 },
      'spec',
      415,
      'invalid_request_error',
    ],
    [
      'body-parser aborted',
      { type: 'request.aborted', status: 400 },
      'claude',
      400,
      'invalid_request_error',
    ],
    [
      'fastify invalid JSON',
      { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 },
      'spec',
      400,
      'invalid_request_error',
    ],
    [
      'fastify too large',
      { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 },
      'claude',
      413,
      'request_too_large',
    ],
    [
      'fastify media type',
      { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 },
      'spec',
      415,
      'invalid_request_error',
    ],
    [
      'corrupt gzip body (Express: zlib error given status 400, no type)',
      Object.assign(new Error('incorrect header check'), {
        errno: -3,
        code: 'Z_DATA_ERROR',
        status: 400,
        statusCode: 400,
        expose: true,
      }),
      'spec',
      400,
      'invalid_request_error',
    ],
    [
      'truncated gzip body',
      Object.assign(new Error('unexpected end of file'), {
        errno: -5,
        code: 'Z_BUF_ERROR',
        status: 400,
      }),
      'claude',
      400,
      'invalid_request_error',
    ],
    [
      'corrupt brotli body',
      Object.assign(new Error('Decompression failed'), {
        errno: -15,
        code: 'ERR__ERROR_FORMAT_PADDING_2',
        status: 400,
      }),
      'spec',
      400,
      'invalid_request_error',
    ],
    [
      'unknown content-encoding',
      { type: 'encoding.unsupported', status: 415 },
      'spec',
      415,
      'invalid_request_error',
    ],
  ] as const)('%s', (_name, error, vocabulary, status, type) => {
    const mapped = fromBodyError(error, vocabulary);
    expect(mapped).toMatchObject({ status, type });
    expect(mapped?.message).not.toMatch(/position|token/i);
  });

  it.each([
    ['a plain Error', new Error('boom')],
    ['a 500 body-parser error', { type: 'stream.encoding.set', status: 500 }],
    ['a non-parser fastify error', { code: 'FST_ERR_NOT_FOUND', statusCode: 404 }],
    [
      'a zlib error nobody gave an HTTP status',
      Object.assign(new Error('x'), { errno: -3, code: 'Z_DATA_ERROR' }),
    ],
    ['a string', 'oops'],
    ['null', null],
  ])('leaves %s alone', (_name, error) => {
    expect(fromBodyError(error, 'spec')).toBeUndefined();
  });

  it('never echoes the body of a malformed JSON request', () => {
    const syntax = Object.assign(
      new SyntaxError('Unexpected token \'c\', "cla_api_live_secret" is not valid JSON'),
      {
        type: 'entity.parse.failed',
        status: 400,
      },
    );
    expect(fromBodyError(syntax, 'spec')?.message).toBe('Request body is not valid JSON');
  });
});
