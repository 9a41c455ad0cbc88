/** `/readyz`: whether the store, Redis, the upstream and the upstream key are there, each named. */
import { connect } from 'node:net';
import type { KeyStore } from '@claude-auth/core';

/** One dependency's state. */
export interface CheckResult {
  ok: boolean;
  /** `skipped` for an unconfigured dependency (Redis). */
  status: 'ok' | 'down' | 'skipped';
  /** Why it is down (no secret, no URL credentials). */
  error?: string;
  latencyMs?: number;
}

/** The body of `/readyz`. */
export interface Readiness {
  ready: boolean;
  checks: {
    store: CheckResult;
    redis: CheckResult;
    upstream: CheckResult;
    /** Whether the upstream key resolves (`skipped` with the offline mock). */
    upstream_key: CheckResult;
  };
}

/** What `/readyz` probes. */
export interface ReadinessProbes {
  store: KeyStore;
  /** A Redis PING, or undefined without Redis. */
  pingRedis?: () => Promise<unknown>;
  /** The upstream base URL: a TCP connection to its host must open. */
  upstreamUrl: string;
  /**
   * Resolves the upstream key, rejecting with the reason it cannot (e.g. `ANTHROPIC_API_KEY_FILE`
   * not found); undefined when none is needed (the offline mock).
   */
  upstreamKey?: () => Promise<unknown>;
  /** Per check. Default 1000 ms. */
  timeoutMs?: number;
}

async function timed(run: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      status: 'down',
      error: code ?? (error instanceof Error ? error.message : String(error)),
    };
  } finally {
    clearTimeout(timer);
  }
}

function tcpConnect(url: string): Promise<void> {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}

/**
 * Runs the four checks in parallel (each bounded by `timeoutMs`); ready when none is down.
 *
 * @example
 * ```ts
 * const { ready, checks } = await checkReadiness({ store, upstreamUrl: proxy.baseUrl });
 * res.status(ready ? 200 : 503).json({ ready, checks });
 * ```
 */
export async function checkReadiness(probes: ReadinessProbes): Promise<Readiness> {
  const timeoutMs = probes.timeoutMs ?? 1000;
  const [store, redis, upstream, upstreamKey] = await Promise.all([
    timed(() => probes.store.listKeys({ limit: 1 }), timeoutMs),
    probes.pingRedis === undefined
      ? Promise.resolve<CheckResult>({ ok: true, status: 'skipped' })
      : timed(probes.pingRedis, timeoutMs),
    timed(() => tcpConnect(probes.upstreamUrl), timeoutMs),
    probes.upstreamKey === undefined
      ? Promise.resolve<CheckResult>({ ok: true, status: 'skipped' })
      : timed(probes.upstreamKey, timeoutMs),
  ]);
  return {
    ready: store.ok && redis.ok && upstream.ok && upstreamKey.ok,
    checks: { store, redis, upstream, upstream_key: upstreamKey },
  };
}
