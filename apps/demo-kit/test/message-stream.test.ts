import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  echoMessage,
  messageStreamEvents,
  parseMessagesRequest,
  writeMessageStream,
} from '../src/index.js';

const message = echoMessage(
  parseMessagesRequest({
    model: 'claude-sonnet-4-5',
    max_tokens: 64,
    stream: true,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
  }),
);

describe('messageStreamEvents', () => {
  it('follows the Messages API sequence, one text_delta per word', () => {
    const events = messageStreamEvents(message);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events.slice(3, 6).map((e) => (e.data.delta as { text: string }).text)).toEqual([
      'Echo: ',
      'Hello, ',
      'Claude',
    ]);
    expect(events[0]!.data.message).toMatchObject({
      id: message.id,
      content: [],
      stop_reason: null,
      usage: { input_tokens: message.usage.input_tokens, output_tokens: 1 },
    });
  });
});

describe('writeMessageStream', () => {
  it('sends the headers first, then one write per event on separate turns of the event loop', async () => {
    const writes: Array<{ headersSent: boolean; turn: number }> = [];
    let turn = 0;
    const server = createServer((_req, res: ServerResponse) => {
      res.setHeader('request-id', 'req_test');
      const write = res.write.bind(res) as (chunk: string) => boolean;
      res.write = ((chunk: string) => {
        writes.push({ headersSent: res.headersSent, turn });
        return write(chunk);
      }) as typeof res.write;
      const tick = (): void => {
        turn++;
        if (!res.writableEnded) setImmediate(tick);
      };
      setImmediate(tick);
      void writeMessageStream(res, message);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('request-id')).toBe('req_test');
      const text = await res.text();
      expect(text.startsWith('event: message_start\ndata: {')).toBe(true);
      expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
      expect(writes).toHaveLength(messageStreamEvents(message).length);
      expect(writes.every((w) => w.headersSent)).toBe(true);
      const turns = writes.map((w) => w.turn);
      expect(new Set(turns).size).toBe(turns.length);
    } finally {
      server.close();
    }
  });
});
