import type { IncomingMessage } from 'node:http';
import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Authenticator, ClaudeAuth as ClaudeAuthContext } from '@claude-auth/core';
import { CLAUDE_AUTHENTICATOR, ClaudeAuth } from '@claude-auth/nestjs';
import {
  chargeReply,
  echoMessage,
  parseMessagesRequest,
  type MessagesResponse,
} from './echo-api.js';
import { readJsonBody } from './read-json-body.js';

/**
 * `POST /v1/messages`: validates the body, echoes the last user message and debits its cost.
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
    const request = parseMessagesRequest(await readJsonBody(req));
    const reply = echoMessage(request);
    await chargeReply(auth, reply, this.authenticator.options.vocabulary);
    return reply;
  }
}
