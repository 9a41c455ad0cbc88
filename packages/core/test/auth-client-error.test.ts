import { Duplex } from 'node:stream';
import { createClientErrorHandler } from '@claude-auth/core';
import { describe, expect, it } from 'vitest';

/** A socket that keeps what is written to it. */
function socket(): { socket: Duplex; written: () => string } {
  const chunks: Buffer[] = [];
  const s = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { socket: s, written: () => Buffer.concat(chunks).toString('utf8') };
}

const parserError = (code: string) => Object.assign(new Error(code), { code });

describe('createClientErrorHandler', () => {
  it.each([
    [
      'HPE_HEADER_OVERFLOW',
      431,
      'Request Header Fields Too Large',
      'Request headers are too large',
    ],
    ['HPE_INVALID_METHOD', 400, 'Bad Request', 'Malformed HTTP request'],
    ['HPE_INVALID_HEADER_TOKEN', 400, 'Bad Request', 'Malformed HTTP request'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'Request Timeout', 'Request timed out'],
  ])('%s: %i in the contract shape, then closes', (code, status, text, message) => {
    const { socket: s, written } = socket();
    createClientErrorHandler({ vocabulary: 'claude' })(parserError(code), s);
    const [head, body] = written().split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} ${text}\r\n`));
    expect(head).toMatch(/\r\ncontent-type: application\/json\r\n/);
    expect(head).toMatch(/\r\nconnection: close$/);
    const parsed = JSON.parse(body!) as Record<string, unknown>;
    expect(parsed).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message },
      request_id: expect.stringMatching(/^req_/),
    });
    expect(head).toContain(`request-id: ${parsed.request_id as string}`);
    expect(head).toContain(`content-length: ${Buffer.byteLength(body!)}`);
    expect(s.writableEnded).toBe(true);
  });

  it('only destroys a reset connection, or one whose response is under way', () => {
    const reset = socket();
    createClientErrorHandler()(parserError('ECONNRESET'), reset.socket);
    expect([reset.written(), reset.socket.destroyed]).toEqual(['', true]);

    const underway = socket();
    Object.assign(underway.socket, { _httpMessage: { headersSent: true } });
    createClientErrorHandler()(parserError('HPE_INVALID_METHOD'), underway.socket);
    expect([underway.written(), underway.socket.destroyed]).toEqual(['', true]);
  });
});
