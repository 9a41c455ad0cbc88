/**
 * Answering `stream: true`: the Messages API's server-sent event sequence for a finished
 * message, written event by event to a Node response. Shared by every demo whatever its
 * framework: each hands over its underlying `ServerResponse`.
 */
import type { ServerResponse } from 'node:http';
import type { MessagesResponse } from './echo-message.js';

/** One server-sent event: its name and its JSON data (which repeats the name as `type`). */
export interface MessageStreamEvent {
  event: string;
  data: { type: string; [field: string]: unknown };
}

/**
 * The Messages API event sequence for `message`: `message_start` (empty content, input usage),
 * `content_block_start`, `ping`, one `content_block_delta` (`text_delta`) per word, then
 * `content_block_stop`, `message_delta` (stop reason and output usage) and `message_stop`.
 *
 * @example
 * ```ts
 * messageStreamEvents(echoMessage(request)).map((e) => e.event);
 * // ['message_start', 'content_block_start', 'ping', 'content_block_delta', …, 'message_stop']
 * ```
 */
export function messageStreamEvents(message: MessagesResponse): MessageStreamEvent[] {
  const events: MessageStreamEvent[] = [];
  const add = (data: MessageStreamEvent['data']): void =>
    void events.push({ event: data.type, data });
  add({
    type: 'message_start',
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: message.usage.input_tokens, output_tokens: 1 },
    },
  });
  message.content.forEach((block, index) => {
    add({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    if (index === 0) add({ type: 'ping' });
    for (const piece of block.text.match(/\S+\s*|\s+/g) ?? []) {
      add({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
    }
    add({ type: 'content_block_stop', index });
  });
  add({
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
    usage: { output_tokens: message.usage.output_tokens },
  });
  add({ type: 'message_stop' });
  return events;
}

/**
 * Writes `message` as `text/event-stream` (status 200) to a Node response, one event per write,
 * yielding to the event loop between events so each leaves as it is written. Headers already set
 * on `res` (request id, rate limits) are kept. Stops quietly if the client goes away.
 *
 * @example
 * ```ts
 * const message = await answerMessages(auth, request); // errors here are still JSON
 * if (request.stream) await writeMessageStream(res, message);
 * ```
 */
export async function writeMessageStream(
  res: ServerResponse,
  message: MessagesResponse,
): Promise<void> {
  res.statusCode = 200;
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  for (const { event, data } of messageStreamEvents(message)) {
    if (res.destroyed || res.writableEnded) return;
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (!res.destroyed) res.end();
}

/**
 * Sends the answer to a Messages request on a Node response: server-sent events when the request
 * asked for `stream: true`, else JSON, both with status 200.
 *
 * @example
 * ```ts
 * const request = parseMessagesRequest(body);
 * await sendMessage(res, await answerMessages(auth, request), request.stream);
 * ```
 */
export async function sendMessage(
  res: ServerResponse,
  message: MessagesResponse,
  stream: boolean,
): Promise<void> {
  if (stream) return writeMessageStream(res, message);
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(message));
}
