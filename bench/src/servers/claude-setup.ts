/**
 * The claude-auth configuration every claude-auth row shares: a store wrapped to count lookups,
 * the verification cache on (defaults), key rate limiting on with a limit never reached (so the
 * limiter runs and the rate-limit headers are written), and one key created at start-up.
 *
 * The failed-attempts limiter gets a limit never reached too: the invalid-key flood then models
 * a distributed attacker (many client addresses) and measures the verification path itself,
 * instead of the per-address 429 shortcut.
 */
import {
  createAuthenticator,
  MemoryKeyStore,
  type Authenticator,
  type KeyStore,
  type RateLimiter,
} from '@claude-auth/core';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** Never reached: the limiter runs on every request without ever refusing. */
export const UNREACHABLE_RPM = 10_000_000; // the largest rpm core accepts: far above what a run sends
/** Never reached either: the largest failed-attempts limit core accepts. */
export const UNREACHABLE_FAILED_PER_MINUTE = 1_000_000;

/** A store that counts `findKeyByHash` calls (the lookups the cache and checksum should spare). */
export interface CountingStore {
  store: KeyStore;
  lookups(): number;
}

/**
 * Wraps a store, counting `findKeyByHash` calls; every other method passes through.
 *
 * @example
 * ```ts
 * const { store, lookups } = countLookups(new MemoryKeyStore());
 * ```
 */
export function countLookups(inner: KeyStore): CountingStore {
  let count = 0;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'findKeyByHash') {
        return (hash: string, now?: Date) => {
          count++;
          return target.findKeyByHash(hash, now);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return { store, lookups: () => count };
}

/** What a claude-auth row needs to run. */
export interface BenchAuth {
  authenticator: Authenticator;
  /** The secret of the key created at start-up (sent to the harness over IPC only). */
  apiKey: string;
  lookups(): number;
}

/**
 * Builds the bench authenticator and creates its key.
 *
 * @example
 * ```ts
 * const bench = await createBenchAuth({ store: SqliteKeyStore.open(path) });
 * ```
 */
export async function createBenchAuth(
  options: { store?: KeyStore; rateLimiter?: RateLimiter } = {},
): Promise<BenchAuth> {
  const { store, lookups } = countLookups(options.store ?? new MemoryKeyStore());
  const authenticator = createAuthenticator({
    store,
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
    rateLimit: { key: { rpm: UNREACHABLE_RPM } },
    failedAuth: { maxPerMinute: UNREACHABLE_FAILED_PER_MINUTE },
  });
  const { secret } = await authenticator.keys.createKey({ name: 'bench' });
  return { authenticator, apiKey: secret, lookups };
}

/**
 * Serves `/__bench/stats` (lookups, memory) and `/__bench/gc` (when `--expose-gc`) in front of an
 * app; every other request goes to the app. Only bench servers have this.
 *
 * @example
 * ```ts
 * await serve(withBenchDebug(app, bench.lookups));
 * ```
 */
export function withBenchDebug(app: RequestListener, lookups: () => number): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/__bench/')) {
      app(req, res);
      return;
    }
    if (req.url === '/__bench/gc') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
    }
    const memory = process.memoryUsage();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ lookups: lookups(), rss: memory.rss, heapUsed: memory.heapUsed }));
  };
}
