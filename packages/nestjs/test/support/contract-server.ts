import type { AddressInfo } from 'node:net';
import { InvalidRequestError, createClientErrorHandler } from '@claude-auth/core';
import { Body, Controller, Get, HttpCode, Post, type Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { ContractRoute, ContractServer, ContractServerContext } from '@claude-auth/testing';
import {
  AdminOnly,
  ClaudeAuth,
  ClaudeAuthModule,
  Public,
  RequirePermissions,
  Workspace,
} from '../../src/index.js';
import { sendJson } from '../../src/http-platform.util.js';
import type { PlatformName } from './platforms.js';

/** A controller serving the contract routes, each decorated from its requirements. */
function contractController(routes: readonly ContractRoute[]): Type {
  class ContractController {}
  routes.forEach((route, index) => {
    const name = `route${index}`;
    const handler = (auth: ClaudeAuth, body: unknown): unknown => route.handle({ auth, body });
    Object.defineProperty(ContractController.prototype, name, {
      value: handler,
      writable: true,
      configurable: true,
    });
    const decorators: MethodDecorator[] = [
      route.method === 'GET' ? Get(route.path) : Post(route.path),
      HttpCode(200),
    ];
    const { permissions, workspace, admin } = route.requirements;
    if (permissions !== undefined) decorators.push(RequirePermissions(...permissions));
    if (workspace !== undefined) decorators.push(Workspace(workspace));
    if (admin === true) decorators.push(AdminOnly());
    if (route.public === true) decorators.push(Public());
    const descriptor = Object.getOwnPropertyDescriptor(ContractController.prototype, name)!;
    Reflect.decorate(decorators, ContractController.prototype, name, descriptor);
    if (route.public !== true) ClaudeAuth()(ContractController.prototype, name, 0);
    Body()(ContractController.prototype, name, 1);
  });
  Controller()(ContractController);
  return ContractController;
}

/** The contract table's routes on Nest: `ClaudeAuthModule.forRoot({ authenticator, global: true })`. */
export async function startNestContractServer(
  context: ContractServerContext,
  platform: PlatformName,
): Promise<ContractServer> {
  const moduleRef = await Test.createTestingModule({
    imports: [ClaudeAuthModule.forRoot({ authenticator: context.authenticator, global: true })],
    controllers: [contractController(context.routes)],
  }).compile();
  let app: NestExpressApplication | NestFastifyApplication;
  if (platform === 'fastify') {
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      // Fastify answers parser refusals itself: hand it the contract-shaped answer.
      new FastifyAdapter({
        bodyLimit: context.bodyLimitBytes,
        clientErrorHandler: createClientErrorHandler({ vocabulary: context.vocabulary }),
        // A URL Fastify's router cannot decode (`/%`) is refused before Nest sees it.
        frameworkErrors: (_error: unknown, _request: unknown, reply: unknown) => {
          const { status, headers, body } = context.authenticator.errorResponse(
            new InvalidRequestError('Malformed request URL'),
          );
          sendJson(reply, status, headers, body);
        },
      }),
      { logger: false },
    );
  } else {
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    app.useBodyParser('json', { limit: context.bodyLimitBytes });
  }
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => app.close(),
    httpServer: app.getHttpServer(),
  };
}
