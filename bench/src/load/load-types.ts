/** What the harness asks of a load generator, and what every generator reports back. */

/** The request body every row receives. The wrk scripts carry the same literal. */
export const REQUEST_BODY =
  '{"model":"claude-bench","max_tokens":16,"messages":[{"role":"user","content":"Hello"}]}';

/** The headers every row receives, besides `x-api-key`. */
export const REQUEST_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  'anthropic-version': '2023-06-01',
};

/** Where each request's `x-api-key` comes from. */
export type KeySource =
  /** The same key on every request. */
  | { kind: 'static'; apiKey: string }
  /** Rotate through a file of keys, one per line. */
  | { kind: 'file'; path: string }
  /** A fresh well-formed key (valid checksum, unknown to the store) per request: autocannon only. */
  | { kind: 'generate' };

/** One load run: a warm-up (discarded) then the measurement. */
export interface LoadSpec {
  /** Full URL of `POST /v1/messages`. */
  url: string;
  connections: number;
  /** Measured seconds (ignored when `amount` is set). */
  durationS: number;
  /** Stop after this many requests instead of after `durationS` (autocannon only). */
  amount?: number;
  /** Seconds of load before the measurement, not reported. */
  warmupS: number;
  keys: KeySource;
}

/** What a measurement produced. Latencies in milliseconds. */
export interface LoadResult {
  generator: 'wrk' | 'autocannon';
  requests: number;
  durationS: number;
  /** Completed requests per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses outside 2xx (expected for the invalid-key flood). */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Responses per status code, when the generator reports them (autocannon). */
  statuses?: Record<string, number>;
}
