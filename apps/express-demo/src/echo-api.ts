/**
 * The demo's stand-in for the Claude API: a static model list and a deterministic echo of the
 * Messages API, framework-free. Every demo app carries the same copy so each stays self-contained.
 */
import { randomUUID } from 'node:crypto';
import {
  InvalidRequestError,
  createAuthError,
  type ClaudeAuth,
  type ErrorVocabulary,
} from '@claude-auth/core';

/** One entry of `GET /v1/models`, in the Claude API's shape. */
export interface ModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

/** The models the demo pretends to serve. */
export const MODELS: readonly ModelInfo[] = [
  {
    type: 'model',
    id: 'claude-sonnet-4-5',
    display_name: 'Claude Sonnet 4.5',
    created_at: '2025-09-29T00:00:00Z',
  },
  {
    type: 'model',
    id: 'claude-opus-4-1',
    display_name: 'Claude Opus 4.1',
    created_at: '2025-08-05T00:00:00Z',
  },
  {
    type: 'model',
    id: 'claude-haiku-4-5',
    display_name: 'Claude Haiku 4.5',
    created_at: '2025-10-15T00:00:00Z',
  },
];

/**
 * The body of `GET /v1/models`: `{ data, has_more, first_id, last_id }`.
 *
 * @example
 * ```ts
 * res.json(listModels());
 * ```
 */
export function listModels(): {
  data: ModelInfo[];
  has_more: false;
  first_id: string | null;
  last_id: string | null;
} {
  return {
    data: [...MODELS],
    has_more: false,
    first_id: MODELS[0]?.id ?? null,
    last_id: MODELS.at(-1)?.id ?? null,
  };
}

/** A validated `POST /v1/messages` request (the fields the echo needs). */
export interface MessagesRequest {
  model: string;
  max_tokens: number;
  system: string;
  messages: Array<{ role: 'user' | 'assistant'; text: string }>;
}

/** The Messages API response shape. */
export interface MessagesResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: Array<{ type: 'text'; text: string }>;
  stop_reason: 'end_turn';
  stop_sequence: null;
  usage: { input_tokens: number; output_tokens: number };
}

/**
 * Validates a parsed JSON body as a Messages request; throws `InvalidRequestError` (400
 * `invalid_request_error`) naming the first problem.
 *
 * @example
 * ```ts
 * const request = parseMessagesRequest(JSON.parse(raw));
 * ```
 */
export function parseMessagesRequest(body: unknown): MessagesRequest {
  if (!isRecord(body)) throw invalid('Request body must be a JSON object');
  const { model, max_tokens: maxTokens, messages, system } = body;
  if (typeof model !== 'string' || model.trim() === '')
    throw invalid('model: a non-empty string is required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw invalid('max_tokens: a positive integer is required');
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid('messages: a non-empty array is required');
  }
  const parsed = messages.map((message: unknown, i): MessagesRequest['messages'][number] => {
    if (!isRecord(message)) throw invalid(`messages.${i}: must be an object`);
    const { role, content } = message;
    if (role !== 'user' && role !== 'assistant') {
      throw invalid(`messages.${i}.role: must be "user" or "assistant"`);
    }
    return { role, text: contentText(content, `messages.${i}.content`) };
  });
  const systemText = system === undefined ? '' : contentText(system, 'system');
  return { model, max_tokens: maxTokens, system: systemText, messages: parsed };
}

/**
 * The deterministic reply: `Echo: <last user text>`, with token counts of characters / 4.
 *
 * @example
 * ```ts
 * echoMessage(request).content[0].text; // 'Echo: Hello, Claude'
 * ```
 */
export function echoMessage(request: MessagesRequest): MessagesResponse {
  const lastUser = request.messages.findLast((m) => m.role === 'user')?.text ?? '';
  const text = `Echo: ${lastUser}`;
  const inputChars =
    request.system.length + request.messages.reduce((n, m) => n + m.text.length, 0);
  return {
    id: `msg_${randomUUID().replaceAll('-', '')}`,
    type: 'message',
    role: 'assistant',
    model: request.model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: estimateTokens(inputChars), output_tokens: estimateTokens(text.length) },
  };
}

/** Dollars per million tokens the demo charges: $3 input, $15 output. */
export const PRICE_PER_MILLION = { input: 3, output: 15 } as const;

/**
 * The deterministic cost of a reply in US dollars.
 *
 * @example
 * ```ts
 * costUsd({ input_tokens: 1_000_000, output_tokens: 0 }); // 3
 * ```
 */
export function costUsd(usage: MessagesResponse['usage']): number {
  return (
    (usage.input_tokens * PRICE_PER_MILLION.input +
      usage.output_tokens * PRICE_PER_MILLION.output) /
    1_000_000
  );
}

/**
 * Debits the reply's cost from the caller's workspace before the reply is sent. Once the
 * workspace's monthly limit is reached the debit is refused and this throws the contract's 429
 * `rate_limit_exceeded` with `x-should-retry: false`.
 *
 * @example
 * ```ts
 * const reply = echoMessage(request);
 * await chargeReply(getClaudeAuth(req), reply, authenticator.options.vocabulary);
 * res.json(reply);
 * ```
 */
export async function chargeReply(
  auth: ClaudeAuth,
  reply: MessagesResponse,
  vocabulary: ErrorVocabulary,
): Promise<void> {
  const result = await auth.recordSpend(costUsd(reply.usage));
  // An organisation-wide request has no workspace to debit (applied: false, no limit): not a refusal.
  if (!result.applied && result.limitMicros !== null) {
    throw createAuthError('spend_limited', {
      vocabulary,
      requestId: auth.requestId,
      headers: { 'x-should-retry': 'false' },
    });
  }
}

function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

function contentText(content: unknown, path: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content) || content.length === 0) {
    throw invalid(`${path}: a string or a non-empty array of content blocks is required`);
  }
  return content
    .map((block: unknown, i) => {
      if (!isRecord(block) || typeof block.type !== 'string') {
        throw invalid(`${path}.${i}: a content block with a type is required`);
      }
      if (block.type !== 'text') return '';
      if (typeof block.text !== 'string') throw invalid(`${path}.${i}.text: a string is required`);
      return block.text;
    })
    .join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(message);
}
