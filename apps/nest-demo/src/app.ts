import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  createAuthenticator,
  type Authenticator,
  type AuthenticatorOptions,
} from '@claude-auth/core';
import { AppModule } from './app.module.js';

/** The demo application and the authenticator behind it (close it on shutdown). */
export interface DemoApp {
  app: INestApplication;
  authenticator: Authenticator;
}

/**
 * Builds the NestJS demo: `GET /v1/models` and `POST /v1/messages` (an echo) behind claude-auth's
 * global guard and exception filter. Nest's body parser is off so that authentication runs
 * before the body is read (a bad key is a 401 even with a malformed body).
 *
 * @example
 * ```ts
 * const runtime = await createRuntime(loadConfig());
 * const { app } = await createApp(runtime);
 * await app.listen(3000);
 * ```
 */
export async function createApp(runtime: {
  authenticatorOptions: AuthenticatorOptions;
}): Promise<DemoApp> {
  const authenticator = createAuthenticator(runtime.authenticatorOptions);
  try {
    const app = await NestFactory.create(AppModule.register(authenticator), {
      bodyParser: false,
      logger: ['error', 'warn'],
    });
    return { app, authenticator };
  } catch (error) {
    await authenticator.close();
    throw error;
  }
}
