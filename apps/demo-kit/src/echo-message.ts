/**
 * The demos' stand-in for the Claude API: a deterministic echo of the Messages API. Its usage and
 * cost follow from the request alone, so the cost is debited BEFORE any reply is built.
 */
import { randomUUID } from 'node:crypto';
import type { ClaudeAuth } from '@claude-auth/core';
import type { MessagesRequest } from './messages-request.js';

/** Token counts, as the Messages API reports them. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
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
  usage: Usage;
}

/**
 * Dollars per million tokens the demos charge: $3 input, $15 output.
 *
 * @example
 * ```ts
 * PRICE_PER_MILLION.output; // 15
 * ```
 */
export const PRICE_PER_MILLION = { input: 3, output: 15 } as const;

/**
 * The echo's text: `Echo: <last user text>`.
 *
 * @example
 * ```ts
 * echoText(request); // 'Echo: Hello, Claude'
 * ```
 */
export function echoText(request: MessagesRequest): string {
  return `Echo: ${request.messages.findLast((m) => m.role === 'user')?.text ?? ''}`;
}

/**
 * The usage the echo of `request` will report: characters / 4, rounded up, at least 1.
 *
 * @example
 * ```ts
 * echoUsage(parseMessagesRequest(curlBody)); // { input_tokens: 4, output_tokens: 5 }
 * ```
 */
export function echoUsage(request: MessagesRequest): Usage {
  const inputChars =
    request.system.length + request.messages.reduce((n, m) => n + m.text.length, 0);
  return {
    input_tokens: estimateTokens(inputChars),
    output_tokens: estimateTokens(echoText(request).length),
  };
}

/**
 * The cost of `usage` in US dollars at {@link PRICE_PER_MILLION}.
 *
 * @example
 * ```ts
 * costUsd({ input_tokens: 1_000_000, output_tokens: 0 }); // 3
 * ```
 */
export function costUsd(usage: Usage): number {
  return (
    (usage.input_tokens * PRICE_PER_MILLION.input +
      usage.output_tokens * PRICE_PER_MILLION.output) /
    1_000_000
  );
}

/**
 * Builds the echo reply for `request` (with its {@link echoUsage}).
 *
 * @example
 * ```ts
 * echoMessage(request).content[0].text; // 'Echo: Hello, Claude'
 * ```
 */
export function echoMessage(request: MessagesRequest): MessagesResponse {
  return {
    id: `msg_${randomUUID().replaceAll('-', '')}`,
    type: 'message',
    role: 'assistant',
    model: request.model,
    content: [{ type: 'text', text: echoText(request) }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: echoUsage(request),
  };
}

/**
 * The whole `POST /v1/messages` handler, framework-free: debits the request's deterministic cost
 * from the caller's workspace first, then builds the echo. A debit refused by the workspace's
 * monthly limit throws the core's contract error (`result.error`: 429 with `retry-after` and
 * `x-should-retry: false`), so a refused request does no work. An organisation-wide request has
 * no workspace to debit and is answered.
 *
 * @example
 * ```ts
 * app.post('/v1/messages', async (req, res) => {
 *   res.json(await answerMessages(getClaudeAuth(req), parseMessagesRequest(req.body)));
 * });
 * ```
 */
export async function answerMessages(
  auth: ClaudeAuth,
  request: MessagesRequest,
): Promise<MessagesResponse> {
  const result = await auth.recordSpend(costUsd(echoUsage(request)));
  if (result.error !== undefined) throw result.error;
  return echoMessage(request);
}

function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}
