import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/** The two HTTP platforms every e2e case runs on. */
export type PlatformName = 'express' | 'fastify';
export const PLATFORMS: readonly PlatformName[] = ['express', 'fastify'];

/** A started test app and its base URL on 127.0.0.1. */
export interface StartedApp {
  app: INestApplication;
  url: string;
}

/** Creates the Nest application on the chosen platform and listens on 127.0.0.1, port 0. */
export async function startApp(
  moduleRef: TestingModule,
  platform: PlatformName,
): Promise<StartedApp> {
  const app =
    platform === 'fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false })
      : moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

/** The headers of a well-formed request with `key` (no key header when `undefined`). */
export function authHeaders(
  key?: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'anthropic-version': '2023-06-01',
    ...(key === undefined ? {} : { 'x-api-key': key }),
    ...extra,
  };
}
