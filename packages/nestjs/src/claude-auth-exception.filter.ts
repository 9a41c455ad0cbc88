import { Catch, HttpException, Inject, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { fromBodyError, isClaudeAuthError, type Authenticator } from '@claude-auth/core';
import { CLAUDE_AUTHENTICATOR } from './claude-auth.constants.js';
import { ClaudeAuthHttpException } from './claude-auth-http.exception.js';
import { isResponseStarted, sendJson, type ClaudeAuthRequest } from './http-platform.util.js';

/**
 * Answers errors in the contract's shape on Express and Fastify:
 * - claude-auth errors (`ClaudeAuthHttpException` from the guard, any core `ClaudeAuthError`
 *   thrown by a handler, `StoreUnavailableError`): their status, headers (`request-id`,
 *   `retry-after`, ...) and JSON body;
 * - request-body errors of the platform (malformed JSON, body too large, unsupported media type
 *   from Express `body-parser` or Fastify's parsers): contract 400 / 413 / 415 with a fixed
 *   message (the original may echo the body);
 * - Nest's own `HttpException`s (404, validation 400, ...) and 4xx `http-errors`: left to Nest's
 *   default handling, untouched;
 * - anything else: 500 `api_error` with a generic message (never a stack), logged server-side.
 *
 * `ClaudeAuthModule.forRoot({ global: true })` registers it as `APP_FILTER`.
 *
 * @example
 * ```ts
 * // by hand, without `global: true` (resolved from the container, so Nest's adapter is injected):
 * const app = await NestFactory.create(AppModule);
 * app.useGlobalFilters(app.get(ClaudeAuthExceptionFilter));
 *
 * // or on one controller:
 * @UseFilters(ClaudeAuthExceptionFilter)
 * @Controller('v1')
 * export class MessagesController {}
 * ```
 */
@Catch()
export class ClaudeAuthExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('ClaudeAuthExceptionFilter');

  constructor(@Inject(CLAUDE_AUTHENTICATOR) protected readonly authenticator: Authenticator) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || this.isPlatformHttpError(exception)) {
      if (this.applicationRef ?? this.httpAdapterHost?.httpAdapter) {
        super.catch(exception, host);
        return;
      }
      if (exception instanceof HttpException && host.getType() === 'http') {
        const body = exception.getResponse();
        const response: unknown = host.switchToHttp().getResponse();
        const json =
          typeof body === 'object' ? body : { statusCode: exception.getStatus(), message: body };
        if (!isResponseStarted(response)) sendJson(response, exception.getStatus(), {}, json);
        return;
      }
      throw exception;
    }
    const http = host.switchToHttp();
    const response: unknown = http.getResponse();
    // A refusal of the guard carries the response the core made: written as is.
    const ready = exception instanceof ClaudeAuthHttpException ? exception.ready : undefined;
    if (ready !== undefined) {
      if (!isResponseStarted(response)) sendJson(response, ready.status, ready.headers, ready.body);
      return;
    }
    const request = http.getRequest<ClaudeAuthRequest | undefined>();
    // Core maps body-parser errors and unknown errors; claude-auth errors keep their message.
    const error = exception instanceof ClaudeAuthHttpException ? exception.error : exception;
    const reply = this.authenticator.errorResponse(error, request?.claudeAuth?.requestId);
    if (reply.status === 500 && !isClaudeAuthError(error)) {
      this.logger.error(
        `Unhandled error answered as ${reply.status} (request-id ${reply.headers['request-id'] ?? '-'})`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (isResponseStarted(response)) return;
    const extra = exception instanceof ClaudeAuthHttpException ? exception.headers : {};
    sendJson(response, reply.status, { ...extra, ...reply.headers }, reply.body);
  }

  /** Nest `HttpException`s and 4xx `http-errors` that are neither claude-auth's nor body errors. */
  private isPlatformHttpError(exception: unknown): boolean {
    if (exception instanceof ClaudeAuthHttpException || isClaudeAuthError(exception)) return false;
    if (fromBodyError(exception, 'spec') !== undefined) return false;
    if (exception instanceof HttpException) return true;
    return this.isHttpError(exception) && exception.statusCode < 500;
  }
}
