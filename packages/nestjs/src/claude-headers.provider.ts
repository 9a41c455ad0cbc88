import { Inject, Injectable } from '@nestjs/common';
import {
  buildHeaders,
  resolveApiKey,
  type BuildHeadersOptions,
  type ClaudeRequestHeaders,
  type OutboundOptions,
} from '@claude-auth/core';
import { CLAUDE_AUTH_RESOLVED_OPTIONS } from './claude-auth.constants.js';
import type { ResolvedClaudeAuthModuleOptions } from './claude-auth-options.interface.js';

/**
 * Per-call changes to the outbound headers.
 *
 * @example
 * ```ts
 * await claudeHeaders.headers({ betas: ['prompt-caching-2024-07-31'] } satisfies ClaudeHeadersOverrides);
 * ```
 */
export type ClaudeHeadersOverrides = Pick<BuildHeadersOptions, 'betas' | 'version' | 'workspaceId'>;

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/**
 * The outbound headers for code that calls the Claude API with `fetch` itself, from
 * `ClaudeAuthModule`'s `outbound` options: `headers()` resolves the key on every call (option →
 * `ANTHROPIC_API_KEY` → `ANTHROPIC_API_KEY_FILE`, re-read when the file changes) and returns the
 * credential (`x-api-key`, or `authorization: Bearer` under `authScheme: 'bearer'`),
 * `anthropic-version`, `content-type`, and `anthropic-workspace-id` / `anthropic-beta` when set.
 * Throws `MissingApiKeyError` without a key and `ConfigurationError` for a bad option; the key
 * never appears in a message.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class CountTokens {
 *   constructor(private readonly claude: ClaudeHeadersProvider) {}
 *   async count(body: unknown) {
 *     const response = await fetch(`${this.claude.baseUrl}/v1/messages/count_tokens`, {
 *       method: 'POST',
 *       headers: await this.claude.headers(),
 *       body: JSON.stringify(body),
 *     });
 *     return response.json();
 *   }
 * }
 * ```
 */
@Injectable()
export class ClaudeHeadersProvider {
  private readonly outbound: OutboundOptions;

  constructor(@Inject(CLAUDE_AUTH_RESOLVED_OPTIONS) resolved: ResolvedClaudeAuthModuleOptions) {
    this.outbound = resolved.outbound;
  }

  /** The Claude API's base URL without a trailing slash: option, `ANTHROPIC_BASE_URL`, or the default. */
  get baseUrl(): string {
    const env = this.outbound.env ?? process.env;
    const fromEnv = env.ANTHROPIC_BASE_URL?.trim();
    const url =
      this.outbound.baseUrl ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
    return (url ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  /** The headers of one outbound request, with a freshly resolved key. */
  async headers(overrides: ClaudeHeadersOverrides = {}): Promise<ClaudeRequestHeaders> {
    const { apiKey, env, logger, baseUrl: _baseUrl, ...fixed } = this.outbound;
    const resolved = await resolveApiKey({
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(env === undefined ? {} : { env }),
      ...(logger === undefined ? {} : { logger }),
    });
    return buildHeaders({
      ...fixed,
      ...(logger === undefined ? {} : { logger }),
      ...overrides,
      apiKey: resolved.apiKey,
    });
  }
}
