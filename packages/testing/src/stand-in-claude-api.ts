import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback, type ListeningServer } from './listen.js';

/** A stand-in Claude API that records what reached it. */
export interface StandInClaudeApi extends ListeningServer {
  /** The headers of every request, in order. */
  readonly requests: IncomingHttpHeaders[];
  /** The headers of the last request; throws when none arrived. */
  last(): IncomingHttpHeaders;
}

/**
 * Starts a stand-in Claude API on a loopback port for outbound-client tests: it records each
 * request's headers and answers every request with one fixed `message` (id `msg_stand_in`, text
 * `Hi there`). It checks nothing: assert on `requests`.
 *
 * @example
 * ```ts
 * const api = await startStandInClaudeApi();
 * await client.messages.create({ model, max_tokens: 16, messages });
 * expect(api.last()['x-api-key']).toBe(key);
 * await api.close();
 * ```
 */
export async function startStandInClaudeApi(): Promise<StandInClaudeApi> {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    requests.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('request-id', 'req_stand_in');
      res.end(
        JSON.stringify({
          id: 'msg_stand_in',
          type: 'message',
          role: 'assistant',
          model: 'claude-haiku-4-5',
          content: [{ type: 'text', text: 'Hi there' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 3, output_tokens: 2 },
        }),
      );
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    requests,
    last() {
      const headers = requests.at(-1);
      if (headers === undefined) throw new Error('no request reached the stand-in Claude API');
      return headers;
    },
  };
}
