import type { IncomingMessage } from 'node:http';
import type Anthropic from '@anthropic-ai/sdk';
import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Authenticator } from '@claude-auth/core';
import {
  parseSummarizeRequest,
  readJsonBody,
  summarize,
  type Summary,
} from '@claude-auth/demo-kit';
import { CLAUDE_AUTHENTICATOR, InjectAnthropic } from '@claude-auth/nestjs';

/**
 * `POST /v1/summarize`: asks Claude, through the injected official SDK client (configured from
 * `ClaudeAuthModule`'s `outbound` options by `ClaudeClientModule`), for a one-sentence summary of
 * `{ "text" }`. Behind the global guard like every route; errors are contract JSON.
 */
@Controller('v1/summarize')
export class SummarizeController {
  constructor(
    @Inject(CLAUDE_AUTHENTICATOR) private readonly authenticator: Authenticator,
    @InjectAnthropic() private readonly claude: Anthropic,
  ) {}

  @Post()
  @HttpCode(200)
  async create(@Req() req: IncomingMessage | { raw: IncomingMessage }): Promise<Summary> {
    const body = await readJsonBody(
      'raw' in req ? req.raw : req,
      this.authenticator.options.vocabulary,
    );
    return summarize(this.claude, parseSummarizeRequest(body));
  }
}
