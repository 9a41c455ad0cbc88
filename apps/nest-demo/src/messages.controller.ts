import type { IncomingMessage } from 'node:http';
import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Authenticator, ClaudeAuth as ClaudeAuthContext } from '@claude-auth/core';
import {
  answerMessages,
  parseMessagesRequest,
  readJsonBody,
  type MessagesResponse,
} from '@claude-auth/demo-kit';
import { CLAUDE_AUTHENTICATOR, ClaudeAuth } from '@claude-auth/nestjs';

/**
 * `POST /v1/messages`: validates the body, debits its cost, echoes the last user message.
 * Dependencies use explicit `@Inject()` tokens, so the demo runs under tsx/esbuild, which emit no
 * decorator metadata.
 */
@Controller('v1/messages')
export class MessagesController {
  constructor(@Inject(CLAUDE_AUTHENTICATOR) private readonly authenticator: Authenticator) {}

  @Post()
  @HttpCode(200)
  async create(
    @Req() req: IncomingMessage,
    @ClaudeAuth() auth: ClaudeAuthContext,
  ): Promise<MessagesResponse> {
    const body = await readJsonBody(req, this.authenticator.options.vocabulary);
    return answerMessages(auth, parseMessagesRequest(body));
  }
}
