/**
 * Answers requests Node's HTTP parser refuses before any framework sees them (headers above
 * `maxHeaderSize`, malformed request lines, request timeouts) in the contract's JSON shape instead
 * of Node's bare status line.
 */
import { DEFAULT_CONFIG } from '../config/claude-auth-config.js';
import type { Duplex } from 'node:stream';
import { ClaudeAuthError } from '../errors/claude-auth-error.js';
import { errorResponse } from './error-response.js';
import type { ErrorVocabulary } from '../errors/error-table.js';

/** Options of {@link createClientErrorHandler}. */
export interface ClientErrorHandlerOptions {
  /** Error `type` vocabulary (the statuses are the same in both). Default `spec`. */
  vocabulary?: ErrorVocabulary;
}

/** The error Node passes to `clientError` listeners. */
type ClientError = Error & { code?: string };

/** The status and message for a parser error code. */
function refusalOf(code: string | undefined): { status: number; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW')
    return { status: 431, message: 'Request headers are too large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADER_TIMEOUT')
    return { status: 408, message: 'Request timed out' };
  return { status: 400, message: 'Malformed HTTP request' };
}

/**
 * A listener for Node's `clientError` event: answers with the contract's JSON error (431 for
 * headers above the server's `maxHeaderSize`, 408 for a request timeout, 400 for anything else the
 * parser refuses; type `invalid_request_error`, a fresh `request-id`, `connection: close`), then
 * closes the connection. A connection already reset, or with a response under way, is only
 * destroyed. Frameworks that install their own listener (Fastify) take the same function as their
 * `clientErrorHandler` option.
 *
 * @example
 * ```ts
 * const server = http.createServer(app);
 * server.on('clientError', createClientErrorHandler({ vocabulary: 'claude' }));
 * ```
 */
export function createClientErrorHandler(
  options: ClientErrorHandlerOptions = {},
): (error: ClientError, socket: Duplex) => void {
  const vocabulary = options.vocabulary ?? DEFAULT_CONFIG.vocabulary;
  return (error, socket) => {
    const underway = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || underway?.headersSent === true) {
      socket.destroy();
      return;
    }
    const { status, message } = refusalOf(error.code);
    const reply = errorResponse(
      new ClaudeAuthError(status, 'invalid_request_error', message),
      vocabulary,
    );
    const body = JSON.stringify(reply.body);
    const head = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}`];
    for (const [name, value] of Object.entries(reply.headers)) head.push(`${name}: ${value}`);
    head.push(`content-length: ${Buffer.byteLength(body)}`, 'connection: close');
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};
