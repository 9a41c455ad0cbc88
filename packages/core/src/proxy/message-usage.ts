/** Reading a Messages API reply's `usage`, from a JSON body or from its server-sent events. */

/** Token counts as the Messages API reports them. */
export interface MessageUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/**
 * Characters of delivered text per output token assumed for a stream abandoned before its final
 * usage (English prose runs at about 4 characters per token).
 */
export const ABANDONED_CHARS_PER_TOKEN = 4;

/** What one reply used: the model that answered and its token counts. */
export interface ReplyUsage {
  model: string;
  usage: MessageUsage;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? Math.floor(value)
    : undefined;
}

/** Copies the known counters of `raw` onto `into` (later events overwrite earlier ones). */
function mergeUsage(into: MessageUsage, raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) return;
  const u = raw as Record<string, unknown>;
  const input = count(u.input_tokens);
  const output = count(u.output_tokens);
  const write = count(u.cache_creation_input_tokens);
  const read = count(u.cache_read_input_tokens);
  if (input !== undefined) into.input_tokens = input;
  if (output !== undefined) into.output_tokens = output;
  if (write !== undefined) into.cache_creation_input_tokens = write;
  if (read !== undefined) into.cache_read_input_tokens = read;
}

/**
 * The usage of a JSON Messages reply (`{ model, usage }`), or `undefined` when the body is not one
 * (e.g. `count_tokens`, `models`).
 *
 * @example
 * ```ts
 * usageFromJson('{"model":"claude-sonnet-4-5","usage":{"input_tokens":3,"output_tokens":5}}');
 * // { model: 'claude-sonnet-4-5', usage: { input_tokens: 3, output_tokens: 5 } }
 * ```
 */
export function usageFromJson(body: string): ReplyUsage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { model, usage } = parsed as { model?: unknown; usage?: unknown };
  if (typeof model !== 'string' || typeof usage !== 'object' || usage === null) return undefined;
  const result: MessageUsage = { input_tokens: 0, output_tokens: 0 };
  mergeUsage(result, usage);
  return { model, usage: result };
}

/** Bytes kept from each end of a JSON reply too large to hold whole. */
const JSON_END_BYTES = 64 * 1024;

/**
 * The first and last {@link JSON_END_BYTES} of a JSON reply too large to hold whole, fed in
 * order chunk by chunk: the memory it keeps is bounded whatever the reply's size.
 *
 * @example
 * ```ts
 * const ends = new LargeJsonEnds();
 * reply.on('data', (chunk) => ends.add([chunk]));
 * reply.on('end', () => console.log(usageFromJsonEnds(ends.head(), ends.tail())));
 * ```
 */
export class LargeJsonEnds {
  #head = Buffer.alloc(0);
  #tail: Buffer[] = [];
  #tailSize = 0;

  /** Adds the next chunks of the reply. */
  add(chunks: Buffer[]): void {
    for (let chunk of chunks) {
      if (this.#head.length < JSON_END_BYTES) {
        const take = Math.min(JSON_END_BYTES - this.#head.length, chunk.length);
        this.#head = Buffer.concat([this.#head, chunk.subarray(0, take)]);
        chunk = chunk.subarray(take);
        if (chunk.length === 0) continue;
      }
      this.#tail.push(chunk);
      this.#tailSize += chunk.length;
      while (this.#tail.length > 1 && this.#tailSize - this.#tail[0]!.length >= JSON_END_BYTES) {
        this.#tailSize -= this.#tail.shift()!.length;
      }
    }
  }

  /** The reply's first bytes, as text. */
  head(): string {
    return this.#head.toString('utf8');
  }

  /** The reply's last bytes (at least {@link JSON_END_BYTES} when there were that many), as text. */
  tail(): string {
    return Buffer.concat(this.#tail).toString('utf8');
  }
}

/** The JSON object that starts at `text[start]` (`{`), or `undefined` when it does not end. */
function objectAt(text: string, start: number): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

/**
 * The usage of a JSON Messages reply too large to parse whole, from its two ends: the `model`
 * (which comes before the content) from the start, the last `usage` object (which comes after
 * it) from the end. `undefined` when either is missing.
 *
 * @example
 * ```ts
 * usageFromJsonEnds('{"id":"msg_1","model":"claude-sonnet-4-5","content":[{"text":"…', '…"}],"usage":{"input_tokens":3,"output_tokens":5}}');
 * // { model: 'claude-sonnet-4-5', usage: { input_tokens: 3, output_tokens: 5 } }
 * ```
 */
export function usageFromJsonEnds(head: string, tail: string): ReplyUsage | undefined {
  // Inside a JSON string a quote is escaped, so `"model":"` here is a key, not text.
  const model = /"model"\s*:\s*"((?:[^"\\]|\\.){1,256})"/.exec(head)?.[1];
  if (model === undefined) return undefined;
  let at = tail.length;
  while (at > 0 && (at = tail.lastIndexOf('"usage"', at - 1)) !== -1) {
    const open = /^"usage"\s*:\s*\{/.exec(tail.slice(at, at + 64));
    if (open === null) continue;
    const body = objectAt(tail, at + open[0].length - 1);
    if (body === undefined) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      continue;
    }
    const usage: MessageUsage = { input_tokens: 0, output_tokens: 0 };
    mergeUsage(usage, raw);
    let name: unknown;
    try {
      name = JSON.parse(`"${model}"`);
    } catch {
      return undefined;
    }
    return typeof name === 'string' ? { model: name, usage } : undefined;
  }
  return undefined;
}

/**
 * Follows a server-sent event stream chunk by chunk (without holding it) and keeps the usage of
 * `message_start` (model, input and cache counts) and `message_delta` (cumulative output).
 *
 * @example
 * ```ts
 * const reader = new StreamUsageReader();
 * upstream.on('data', (chunk) => reader.push(chunk));
 * upstream.on('end', () => console.log(reader.result()));
 * ```
 */
export class StreamUsageReader {
  #tail = '';
  #model: string | undefined;
  #stopped = false;
  #outputReported = false;
  /** Characters of text, thinking and tool input delivered by `content_block_delta` events. */
  #deltaChars = 0;
  readonly #usage: MessageUsage = { input_tokens: 0, output_tokens: 0 };

  /** Feeds the next chunk of the stream. */
  push(chunk: Buffer | string): void {
    const text = this.#tail + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    let start = 0;
    let end: number;
    while ((end = text.indexOf('\n', start)) !== -1) {
      this.#line(text, start, end);
      start = end + 1;
    }
    // Keep only a partial line; a runaway line (no newline for 1 MiB) is dropped.
    this.#tail = start === text.length ? '' : text.slice(start);
    if (this.#tail.length > 1_048_576) this.#tail = '';
  }

  #line(text: string, start: number, end: number): void {
    // Only `data:` lines of the two events that carry usage, and the final one, are parsed; a
    // content delta is parsed only until the final usage came (for an abandoned stream's estimate).
    if (!text.startsWith('data:', start)) return;
    const line = text.slice(start + 5, end).trim();
    if (!this.#outputReported && line.startsWith('{"type":"content_block_delta"')) {
      this.#countDelta(line);
      return;
    }
    if (
      !line.startsWith('{"type":"message_') &&
      !/"type"\s*:\s*"message_(start|delta|stop)"/.test(line)
    )
      return;
    let data: { type?: unknown; message?: { model?: unknown; usage?: unknown }; usage?: unknown };
    try {
      data = JSON.parse(line) as typeof data;
    } catch {
      return;
    }
    if (data.type === 'message_start') {
      if (typeof data.message?.model === 'string') this.#model = data.message.model;
      mergeUsage(this.#usage, data.message?.usage);
    } else if (data.type === 'message_delta') {
      mergeUsage(this.#usage, data.usage);
      if (
        count((data.usage as { output_tokens?: unknown } | undefined)?.output_tokens) !== undefined
      )
        this.#outputReported = true;
    } else if (data.type === 'message_stop') {
      this.#stopped = true;
    }
  }

  #countDelta(line: string): void {
    let data: { delta?: { text?: unknown; thinking?: unknown; partial_json?: unknown } };
    try {
      data = JSON.parse(line) as typeof data;
    } catch {
      return;
    }
    const delta = data.delta;
    if (delta === undefined) return;
    for (const value of [delta.text, delta.thinking, delta.partial_json]) {
      if (typeof value === 'string') this.#deltaChars += value.length;
    }
  }

  /** The final event (`message_stop`) came: the usage is complete. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** The usage seen so far, or `undefined` when no `message_start` came. */
  result(): ReplyUsage | undefined {
    return this.#model === undefined
      ? undefined
      : { model: this.#model, usage: { ...this.#usage } };
  }

  /**
   * The usage of a stream cut short (the caller left, so the upstream call was aborted): what the
   * events reported, with the output counted as at least one token per
   * {@link ABANDONED_CHARS_PER_TOKEN} characters of text, thinking and tool input delivered until
   * then, since the final `message_delta` count never came. `undefined` when no `message_start`
   * came.
   *
   * @example
   * ```ts
   * res.on('close', () => {
   *   if (!res.writableFinished) charge(reader.abandoned());
   * });
   * ```
   */
  abandoned(): ReplyUsage | undefined {
    const seen = this.result();
    if (seen === undefined || this.#outputReported) return seen;
    const estimate = Math.ceil(this.#deltaChars / ABANDONED_CHARS_PER_TOKEN);
    seen.usage.output_tokens = Math.max(seen.usage.output_tokens, estimate);
    return seen;
  }
}
