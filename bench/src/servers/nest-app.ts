/**
 * The NestJS pieces the Nest rows share: one controller answering `POST /v1/messages` and a
 * bootstrap on either platform (Express or Fastify) that announces readiness to the harness.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Post, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { announceReady, REPLY } from './shared.js';

/** The route every Nest row serves. */
@Controller('v1')
export class MessagesController {
  @Post('messages')
  @HttpCode(200)
  create(@Body() _body: unknown): typeof REPLY {
    return REPLY;
  }
}

/** The Nest platform a row runs on. */
export type NestPlatform = 'express' | 'fastify';

/**
 * Creates the app on the chosen platform, listens on an ephemeral port of 127.0.0.1 and announces
 * readiness (with `apiKey` for claude-auth rows).
 *
 * @example
 * ```ts
 * await startNest(AppModule, 'fastify');
 * ```
 */
export async function startNest(
  module: Type<unknown>,
  platform: NestPlatform,
  options: { apiKey?: string; beforeListen?: (app: INestApplication) => void } = {},
): Promise<INestApplication> {
  let app: INestApplication;
  if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(module, new FastifyAdapter(), { logger: ['error'] });
  } else {
    app = await NestFactory.create(module, { logger: ['error'] });
  }
  options.beforeListen?.(app);
  await app.listen(0, '127.0.0.1');
  announceReady(app.getHttpServer() as Server, {
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    close: () => app.close(),
  });
  return app;
}
