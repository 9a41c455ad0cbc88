import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  InvalidRequestError,
  createAuthenticator,
  createClientErrorHandler,
  type Authenticator,
  type AuthenticatorOptions,
  type OutboundOptions,
} from '@claude-auth/core';
import { AppModule } from './app.module.js';

/** The Nest HTTP platform the demo runs on. */
export type DemoPlatform = 'express' | 'fastify';

/** The demo application and the authenticator behind it (close it on shutdown). */
export interface DemoApp {
  app: INestApplication;
  authenticator: Authenticator;
}

/** The part of a Fastify reply the demo's `frameworkErrors` handler uses. */
interface ReplyLike {
  code(status: number): {
    headers(values: Record<string, string>): { send(body: string): unknown };
  };
}

/**
 * A Fastify adapter that leaves request bodies unread: Fastify parses JSON before any guard
 * runs, and the demo authenticates first (a bad key is a 401 even with a malformed body). The
 * controller reads the raw body itself, as on Express. Requests Fastify refuses before Nest sees
 * them (a 20 KB header, an undecodable URL) are answered in the contract's shape too.
 */
function fastifyWithoutBodyParsing(authenticator: Authenticator): FastifyAdapter {
  const adapter = new FastifyAdapter({
    clientErrorHandler: createClientErrorHandler({
      vocabulary: authenticator.options.vocabulary,
    }),
    frameworkErrors: (_error: unknown, _request: unknown, reply: unknown) => {
      const { status, headers, body } = authenticator.errorResponse(
        new InvalidRequestError('Malformed request URL'),
      );
      void (reply as ReplyLike).code(status).headers(headers).send(JSON.stringify(body));
    },
  });
  const fastify = adapter.getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
  return adapter;
}

/**
 * Builds the NestJS demo on the Express (default) or Fastify platform: `GET /v1/models`,
 * `POST /v1/messages` (an echo, JSON or server-sent events) and `POST /v1/summarize` (Claude through
 * the injected official SDK client, from the runtime's `outboundOptions`) behind claude-auth's
 * global guard and exception filter. Body parsing is off so that authentication runs before the body is read (a
 * bad key is a 401 even with a malformed body).
 *
 * @example
 * ```ts
 * const runtime = await createRuntime(loadConfig());
 * const { app } = await createApp(runtime, 'fastify');
 * await app.listen(3000);
 * ```
 */
export async function createApp(
  runtime: { authenticatorOptions: AuthenticatorOptions; outboundOptions?: OutboundOptions },
  platform: DemoPlatform = 'express',
): Promise<DemoApp> {
  const authenticator = createAuthenticator(runtime.authenticatorOptions);
  try {
    const module = AppModule.register(authenticator, runtime.outboundOptions);
    const options = { bodyParser: false, logger: ['error', 'warn'] as const };
    const app =
      platform === 'fastify'
        ? await NestFactory.create(module, fastifyWithoutBodyParsing(authenticator), {
            ...options,
            logger: [...options.logger],
          })
        : await NestFactory.create(module, { ...options, logger: [...options.logger] });
    return { app, authenticator };
  } catch (error) {
    await authenticator.close();
    throw error;
  }
}
