/**
 * Validation of a `POST /v1/messages` body into the fields the echo needs, and nothing more: real
 * clients send newer roles, content block types and top-level fields than any schema written
 * from old docs knows, so only what the echo uses is checked and everything else is accepted.
 */
import { InvalidRequestError } from '@claude-auth/core';

/** A validated `POST /v1/messages` request (the fields the echo needs). */
export interface MessagesRequest {
  model: string;
  max_tokens: number;
  /** The system prompt's text (`''` when absent). */
  system: string;
  /** Every message's role as sent (any role is accepted) and the text of its `text` blocks. */
  messages: Array<{ role: string; text: string }>;
  /** `stream: true` asks for server-sent events. */
  stream: boolean;
}

/**
 * Validates a parsed JSON body as a Messages request; throws `InvalidRequestError` (400
 * `invalid_request_error`) naming the first problem. Checked: a `model`, a positive integer
 * `max_tokens`, a non-empty `messages` array of objects, and `stream` when present. Unknown
 * fields, roles and content block types are accepted (blocks other than `text` count as no
 * text). Messages never quote the body.
 *
 * @example
 * ```ts
 * const request = parseMessagesRequest(req.body);
 * parseMessagesRequest({ model: 'm', max_tokens: 0, messages: [] }); // throws: max_tokens: a positive integer is required
 * parseMessagesRequest({ model: 'm', max_tokens: 9, messages: [{ role: 'developer', content: 'hi' }], thinking: {} }); // accepted
 * ```
 */
export function parseMessagesRequest(body: unknown): MessagesRequest {
  if (!isRecord(body)) throw invalid('Request body must be a JSON object');
  const { model, max_tokens: maxTokens, messages, system, stream } = body;
  if (typeof model !== 'string' || model.trim() === '') {
    throw invalid('model: a non-empty string is required');
  }
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw invalid('max_tokens: a positive integer is required');
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid('messages: a non-empty array is required');
  }
  if (stream !== undefined && typeof stream !== 'boolean') {
    throw invalid('stream: a boolean is expected');
  }
  const parsed = messages.map((message: unknown, i): MessagesRequest['messages'][number] => {
    if (!isRecord(message)) throw invalid(`messages.${i}: must be an object`);
    const { role, content } = message;
    return { role: typeof role === 'string' ? role : '', text: contentText(content) };
  });
  return {
    model,
    max_tokens: maxTokens,
    system: contentText(system),
    messages: parsed,
    stream: stream === true,
  };
}

/** The text of a string, or of the `text` blocks of an array; anything else has none. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content as unknown[]) {
    if (isRecord(block) && block.type === 'text' && typeof block.text === 'string') {
      text += block.text;
    }
  }
  return text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(message);
}
