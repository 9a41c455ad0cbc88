import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Authenticator } from '@claude-auth/core';
import { CLAUDE_AUTHENTICATOR } from './claude-auth.constants.js';
import { ClaudeAuthHttpException } from './claude-auth-http.exception.js';
import { fromBodyError } from '@claude-auth/core';

type ErrorHandler = (this: unknown, error: unknown, ...rest: unknown[]) => unknown;
interface ErrorHandlerHost {
  setErrorHandler?: (this: unknown, handler: ErrorHandler, prefix?: string) => unknown;
}
const WRAPPED = Symbol.for('claude-auth:body-error-translator');

/**
 * Translates the platform's request-body errors (malformed JSON, too large, unsupported media
 * type) into `ClaudeAuthHttpException`s before Nest maps them. Nest turns a `body-parser`
 * `SyntaxError` into `BadRequestException(err.message)`, and V8's JSON messages quote the body,
 * which may hold a key; a Fastify parser error loses its code. Registered by `global: true`; it
 * wraps the error handler Nest installs on the HTTP adapter (Express and Fastify alike).
 *
 * @example
 * ```ts
 * @Module({ providers: [PlatformBodyErrorTranslator] }) // what ClaudeAuthModule does with global: true
 * export class AppModule {}
 * ```
 */
@Injectable()
export class PlatformBodyErrorTranslator implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(CLAUDE_AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {}

  /** Runs after routes are registered and before Nest installs its error handler. */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as
      (ErrorHandlerHost & { [WRAPPED]?: true }) | undefined;
    const original = adapter?.setErrorHandler;
    if (adapter === undefined || original === undefined || adapter[WRAPPED] === true) return;
    adapter[WRAPPED] = true;
    const translate = (error: unknown): unknown => {
      const mapped = fromBodyError(error, this.authenticator.options.vocabulary);
      return mapped === undefined ? error : new ClaudeAuthHttpException(mapped);
    };
    adapter.setErrorHandler = (handler, prefix) =>
      original.call(
        adapter,
        // Four declared parameters: Express recognises error middleware by its arity.
        function (this: unknown, error: unknown, a: unknown, b: unknown, c: unknown) {
          return handler.call(this, translate(error), a, b, c);
        },
        prefix,
      );
  }
}
