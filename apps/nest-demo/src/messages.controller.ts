import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Authenticator, ClaudeAuth as ClaudeAuthContext } from '@claude-auth/core';
import {
  answerMessages,
  parseMessagesRequest,
  readJsonBody,
  sendMessage,
} from '@claude-auth/demo-kit';
import { CLAUDE_AUTHENTICATOR, ClaudeAuth } from '@claude-auth/nestjs';

/** A Fastify reply, structurally: its Node response, the headers it holds, and `hijack()`. */
interface FastifyReplyLike {
  raw: ServerResponse;
  getHeaders(): Record<string, string | number | string[] | undefined>;
  hijack(): unknown;
}

function isFastifyReply(response: unknown): response is FastifyReplyLike {
  return typeof (response as Partial<FastifyReplyLike>).hijack === 'function';
}

/**
 * The Node response under either platform's response object, ready to be written directly: a
 * Fastify reply hands over the headers it holds (request id, rate limits) and is hijacked.
 */
function takeNodeResponse(response: ServerResponse | FastifyReplyLike): ServerResponse {
  if (!isFastifyReply(response)) return response;
  const raw = response.raw;
  for (const [name, value] of Object.entries(response.getHeaders())) {
    if (value !== undefined) raw.setHeader(name, value);
  }
  response.hijack();
  return raw;
}

/**
 * `POST /v1/messages`: validates the body, debits its cost, echoes the last user message, as
 * JSON (status 200, not Nest's default 201) or, for `stream: true`, as server-sent events. Errors
 * before the answer starts go to claude-auth's exception filter as contract JSON. Dependencies use
 * explicit `@Inject()` tokens, so the demo runs under tsx/esbuild, which emit no decorator
 * metadata.
 */
@Controller('v1/messages')
export class MessagesController {
  constructor(@Inject(CLAUDE_AUTHENTICATOR) private readonly authenticator: Authenticator) {}

  @Post()
  async create(
    @Req() req: IncomingMessage | { raw: IncomingMessage },
    @Res() res: ServerResponse | FastifyReplyLike,
    @ClaudeAuth() auth: ClaudeAuthContext,
  ): Promise<void> {
    const body = await readJsonBody(
      'raw' in req ? req.raw : req,
      this.authenticator.options.vocabulary,
    );
    const request = parseMessagesRequest(body);
    const message = await answerMessages(auth, request);
    await sendMessage(takeNodeResponse(res), message, request.stream);
  }
}
