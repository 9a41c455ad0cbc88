/**
 * `POST /v1/summarize`, framework-free: the demos' route that calls Claude through the official
 * SDK client (configured from the shared configuration) and answers with the summary.
 */
import type Anthropic from '@anthropic-ai/sdk';
import {
  ApiConnectionError,
  ApiError,
  InvalidRequestError,
  MissingApiKeyError,
  isClaudeAuthError,
  type OutboundOptions,
} from '@claude-auth/core';
import { createAnthropicClient } from '@claude-auth/runtime/anthropic';

/** The model the demos ask for a summary. */
export const SUMMARY_MODEL = 'claude-haiku-4-5';

/** Longest text the route accepts, in characters. */
const MAX_TEXT_CHARS = 100_000;

/** A validated `POST /v1/summarize` body. */
export interface SummarizeRequest {
  text: string;
}

/** What `POST /v1/summarize` answers. */
export interface Summary {
  summary: string;
  model: string;
  usage: { input_tokens: number; output_tokens: number };
}

/** The part of the SDK client the route calls (the official `Anthropic` client has it). */
export interface MessagesClient {
  messages: {
    create(params: {
      model: string;
      max_tokens: number;
      messages: Array<{ role: 'user'; content: string }>;
    }): PromiseLike<{
      model: string;
      content: Array<{ type: string; text?: string }>;
      usage: { input_tokens: number; output_tokens: number };
    }>;
  };
}

/**
 * Validates a `POST /v1/summarize` body: `{ "text": "…" }`, a non-empty string of at most 100 000
 * characters; anything else throws `InvalidRequestError` (400) naming the field.
 *
 * @example
 * ```ts
 * parseSummarizeRequest({ text: 'A long article…' }); // { text: 'A long article…' }
 * ```
 */
export function parseSummarizeRequest(body: unknown): SummarizeRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('Request body must be a JSON object');
  }
  const text = (body as { text?: unknown }).text;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidRequestError('text: a non-empty string is required');
  }
  if (text.length > MAX_TEXT_CHARS) {
    throw new InvalidRequestError(`text: at most ${MAX_TEXT_CHARS} characters`);
  }
  return { text };
}

/** Turns a failure of the call to Claude into the contract error this service answers with. */
function upstreamFailure(error: unknown): Error {
  if (isClaudeAuthError(error)) return error;
  if (error instanceof MissingApiKeyError) {
    return new ApiError('This service has no Claude API key configured');
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') {
    // The SDK's APIError: name the upstream's status and error type, never its message.
    const type = (error as { error?: { error?: { type?: unknown } } }).error?.error?.type;
    const named = typeof type === 'string' ? ` ${type}` : '';
    return new ApiError(`The Claude API answered ${status}${named}`, { status: 502 });
  }
  return new ApiConnectionError();
}

/**
 * Asks Claude, through `claude` (the official SDK client), for a one-sentence summary of
 * `request.text`. A failure becomes a contract error: the upstream's refusal a 502 `api_error`
 * naming its status and type (never its message), an unreachable upstream a 502, no key
 * configured a 500.
 *
 * @example
 * ```ts
 * app.post('/v1/summarize', async (req, res) => {
 *   res.json(await summarize(claude, parseSummarizeRequest(req.body)));
 * });
 * ```
 */
export async function summarize(
  claude: MessagesClient,
  request: SummarizeRequest,
): Promise<Summary> {
  try {
    const message = await claude.messages.create({
      model: SUMMARY_MODEL,
      max_tokens: 256,
      messages: [{ role: 'user', content: `Summarize in one sentence:\n\n${request.text}` }],
    });
    const summary = message.content
      .map((block) => (block.type === 'text' ? (block.text ?? '') : ''))
      .join('');
    const { input_tokens, output_tokens } = message.usage;
    return { summary, model: message.model, usage: { input_tokens, output_tokens } };
  } catch (error) {
    throw upstreamFailure(error);
  }
}

/**
 * The official SDK client for `outbound` (see `createAnthropicClient` of
 * `@claude-auth/runtime/anthropic`), created on first use and again after a failed creation (the
 * SDK missing, a bad option), so a demo starts even when no call to Claude is ever made.
 *
 * @example
 * ```ts
 * const claude = claudeOnDemand(runtime.outboundOptions);
 * app.post('/v1/summarize', async (req, res) => {
 *   res.json(await summarize(await claude(), parseSummarizeRequest(req.body)));
 * });
 * ```
 */
export function claudeOnDemand(outbound: OutboundOptions = {}): () => Promise<Anthropic> {
  let client: Promise<Anthropic> | undefined;
  return () =>
    (client ??= createAnthropicClient(outbound).catch((error: unknown) => {
      client = undefined;
      throw error;
    }));
}
