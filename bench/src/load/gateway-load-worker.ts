/**
 * The gateway rows' load generator, run as its own process (pinned to the generator core when
 * possible). Reads a {@link GatewayLoadSpec} as JSON from argv[2]; prints
 * `BENCH_RESULT <GatewayLoadResult JSON>` on stdout.
 *
 * - `open`: a true open loop. Request `i` is scheduled at `start + i / rate` whatever happened to
 *   the earlier ones, and sent on a node:http keep-alive agent (up to 1,024 sockets) by a timer
 *   that wakes about every millisecond and sends every request that is due. Latency is measured
 *   from the *scheduled* send time, so a stalled server (or a late generator) is charged for the
 *   wait instead of slowing the load down (no coordinated omission). autocannon's `overallRate`
 *   is not used: it lets each connection send its per-second quota back to back at the start of
 *   every second (bursts, then silence) and measures from the actual send.
 * - `closed`: autocannon with a fixed number of connections, each sending its next request as
 *   soon as the previous answered: the peak throughput.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

/** One measurement asked of the worker. */
export interface GatewayLoadSpec {
  /** Full URL of `POST /v1/messages`. */
  url: string;
  headers: Record<string, string>;
  body: string;
  mode: 'open' | 'closed';
  /** Requests per second (open loop). */
  rate?: number;
  /** Connections (closed loop). */
  connections?: number;
  durationS: number;
  /** Seconds of the same load before the measurement, not reported. */
  warmupS: number;
}

/** What one measurement produced. Latencies in milliseconds. */
export interface GatewayLoadResult {
  mode: 'open' | 'closed';
  /** The requested rate (open loop). */
  targetRate: number | null;
  /** Requests sent in the measured window ÷ its duration (open loop: must be the target rate). */
  sentRate: number;
  /** 2xx replies completed in the measured window ÷ its duration. */
  completedRate: number;
  sent: number;
  completed: number;
  /** Open loop: from the scheduled send time. Closed loop: autocannon's. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Open loop: the same percentiles from the actual send time (what a closed-loop tool shows). */
  sentP50: number | null;
  sentP99: number | null;
  /** Open loop: how late the generator sent, p50 and p99 (timer granularity, its own load). */
  lagP50: number | null;
  lagP99: number | null;
  errors: number;
  non2xx: number;
  /** Open loop: requests still unanswered 10 s after the window. */
  timeouts: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

async function openLoop(spec: GatewayLoadSpec, durationS: number): Promise<GatewayLoadResult> {
  const rate = spec.rate ?? 1000;
  const target = new URL(spec.url);
  const body = Buffer.from(spec.body);
  const headers = { ...spec.headers, 'content-length': String(body.length) };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, scheduling: 'lifo' });
  const total = Math.round(rate * durationS);
  const interval = 1000 / rate;
  const fromSchedule = new Float64Array(total);
  const fromSend = new Float64Array(total);
  const lag = new Float64Array(total);
  let completed = 0;
  let completedInWindow = 0;
  let errors = 0;
  let non2xx = 0;
  let finished = 0;
  const start = performance.now() + 20;
  const end = start + durationS * 1000;

  await new Promise<void>((resolve) => {
    let next = 0;
    let drainTimer: NodeJS.Timeout | undefined;
    const settle = (): void => {
      finished++;
      if (next === total && finished === total) {
        clearTimeout(drainTimer);
        resolve();
      }
    };
    const fire = (scheduled: number): void => {
      const sentAt = performance.now();
      lag[next] = sentAt - scheduled;
      const request = http.request(
        {
          hostname: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: 'POST',
          headers,
          agent,
        },
        (response) => {
          response.on('data', () => undefined);
          response.on('end', () => {
            const at = performance.now();
            if (response.statusCode !== undefined && response.statusCode < 300) {
              fromSchedule[completed] = at - scheduled;
              fromSend[completed] = at - sentAt;
              completed++;
              if (at <= end) completedInWindow++;
            } else non2xx++;
            settle();
          });
          response.on('error', () => {
            errors++;
            settle();
          });
        },
      );
      request.on('error', () => {
        errors++;
        settle();
      });
      request.end(body);
    };
    const tick = (): void => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        fire(start + next * interval);
        next++;
      }
      if (next < total) {
        setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      } else if (finished < total) {
        drainTimer = setTimeout(resolve, 10_000);
      } else resolve();
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  agent.destroy();

  const sorted = (values: Float64Array, count: number) => values.slice(0, count).sort();
  const latency = sorted(fromSchedule, completed);
  const service = sorted(fromSend, completed);
  const lateness = sorted(lag, total);
  return {
    mode: 'open',
    targetRate: rate,
    sentRate: round(total / durationS),
    completedRate: round(completedInWindow / durationS),
    sent: total,
    completed,
    p50: round(percentile(latency, 50)),
    p90: round(percentile(latency, 90)),
    p99: round(percentile(latency, 99)),
    max: round(latency.length > 0 ? latency[latency.length - 1]! : Number.NaN),
    sentP50: round(percentile(service, 50)),
    sentP99: round(percentile(service, 99)),
    lagP50: round(percentile(lateness, 50)),
    lagP99: round(percentile(lateness, 99)),
    errors,
    non2xx,
    timeouts: total - finished,
  };
}

async function closedLoop(spec: GatewayLoadSpec, durationS: number): Promise<GatewayLoadResult> {
  const result = await autocannon({
    url: spec.url,
    method: 'POST',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections ?? 50,
    duration: durationS,
    timeout: 10,
  });
  const completed = result['2xx'];
  return {
    mode: 'closed',
    targetRate: null,
    sentRate: round(result.requests.sent / result.duration),
    completedRate: round(completed / result.duration),
    sent: result.requests.sent,
    completed,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    sentP50: null,
    sentP99: null,
    lagP50: null,
    lagP99: null,
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
  };
}

const spec = JSON.parse(process.argv[2] ?? '') as GatewayLoadSpec;
const run = spec.mode === 'open' ? openLoop : closedLoop;
if (spec.warmupS > 0) await run(spec, spec.warmupS);
const result = await run(spec, spec.durationS);
process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
