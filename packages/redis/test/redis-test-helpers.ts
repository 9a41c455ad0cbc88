import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { requireService } from '../../testing/src/required-service.js';

/** The Redis the tests use (CI starts it). */
export const REDIS_URL = process.env.CLAUDE_AUTH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Whether the Redis tests run. Under CI a missing server fails the file that imports this;
 * locally the tests are skipped, loudly, and counted as skipped.
 */
export const REDIS_AVAILABLE = requireService({
  name: 'Redis',
  where: new URL(REDIS_URL).host,
  available: await redisAnswers(),
  envVar: 'CLAUDE_AUTH_TEST_REDIS_URL',
});

/** A prefix unique to one test, so runs never share keys. */
export function randomPrefix(label: string): string {
  return `claude-auth-test:${label}:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under `prefix`. */
export async function deletePrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.unlink(...keys);
  } while (cursor !== '0');
}

/** A plain, patient client for test set-up (not the fail-fast one under test). */
export function adminClient(url = REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: 3 });
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A redis-server this test started itself (in-memory only); `stop()` kills only its pid. */
export interface OwnRedis {
  port: number;
  url: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `redis-server` on `port` and waits until it answers PING. */
export async function startOwnRedis(port: number): Promise<OwnRedis> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 5000;
  for (;;) {
    const probe = new Redis(url, {
      lazyConnect: true,
      connectTimeout: 200,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server did not start on port ${port}`);
      }
      await sleep(50);
    }
  }
  return {
    port,
    url,
    process: child,
    async stop(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}

/** Runs `fn` and reports how long it took to settle, and how. */
export async function settle<T>(
  fn: () => Promise<T>,
): Promise<{ ok: boolean; value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await fn();
    return { ok: true, value, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - started };
  }
}
