import { Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClaudeAuth,
  ClaudeAuthModule,
  KeyManager,
  Public,
  RequirePermissions,
} from '@claude-auth/nestjs';

@Controller()
class MessagesController {
  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  @RequirePermissions('messages:write')
  @Post('v1/messages')
  create(@ClaudeAuth() auth: ClaudeAuth) {
    return { id: 'msg_1', key: auth.keyHint, workspace: auth.workspaceId };
  }
}

@Module({
  // global: every route needs a key unless @Public(); errors use the contract's JSON shape.
  imports: [ClaudeAuthModule.forRoot({ global: true })],
  controllers: [MessagesController],
})
export class AppModule {}

export async function bootstrap(port = 3000) {
  const app = await NestFactory.create(AppModule);
  // The secret is returned once: hand it to the caller, never log it.
  const { secret } = await app
    .get(KeyManager)
    .createKey({ name: 'dev', permissions: ['messages:write'] });
  await app.listen(port, '127.0.0.1');
  return { app, secret };
}
