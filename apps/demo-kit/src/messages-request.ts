/** Validation of a `POST /v1/messages` body into the fields the echo needs. */
import { InvalidRequestError } from '@claude-auth/core';

/** A validated `POST /v1/messages` request (the fields the echo needs). */
export interface MessagesRequest {
  model: string;
  max_tokens: number;
  /** The system prompt's text (`''` when absent). */
  system: string;
  messages: Array<{ role: 'user' | 'assistant'; text: string }>;
}

/**
 * Validates a parsed JSON body as a Messages request; throws `InvalidRequestError` (400
 * `invalid_request_error`) naming the first problem. Messages never quote the body.
 *
 * @example
 * ```ts
 * const request = parseMessagesRequest(req.body);
 * parseMessagesRequest({ model: 'm', max_tokens: 0, messages: [] }); // throws: max_tokens: a positive integer is required
 * ```
 */
export function parseMessagesRequest(body: unknown): MessagesRequest {
  if (!isRecord(body)) throw invalid('Request body must be a JSON object');
  const { model, max_tokens: maxTokens, messages, system } = body;
  if (typeof model !== 'string' || model.trim() === '') {
    throw invalid('model: a non-empty string is required');
  }
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
