/**
 * WAL checkpoints on a worker thread, off the event loop. SQLite's automatic checkpoint runs
 * inside whichever commit pushes the WAL past its threshold (1,000 pages): that commit copies
 * the WAL into the database file and waits for two `fsync`s, which blocks the event loop for
 * milliseconds to tens of milliseconds on a slow disk, stalling every request in flight. Here a
 * second connection on a worker thread checkpoints (`PASSIVE`: it never blocks a writer, and no
 * writer blocks it) every `intervalMs`, so commits only append to the WAL.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What the worker is given. */
interface CheckpointerData {
  driver: string;
  file: string;
  intervalMs: number;
}

// Plain CommonJS run with `eval`: no file of its own to ship or locate next to the build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// A checkpoint never waits for a lock: a busy moment is simply skipped until the next tick.
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked (another checkpoint, a closing store): the next tick tries again.
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try {
    db.close();
  } finally {
    parentPort.close();
  }
});
`;

/** A running background checkpointer. */
export interface WalCheckpointer {
  /** Stops the worker and closes its connection; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file`'s WAL every `intervalMs` on a worker thread. The worker does not
 * keep the process alive. `onError` gets a failure to start or a crash of the worker (the caller
 * then goes back to SQLite's own automatic checkpoints).
 *
 * @example
 * ```ts
 * db.pragma('wal_autocheckpoint = 10000'); // a safety net only: the worker keeps the WAL small
 * const checkpointer = startWalCheckpointer('/var/lib/app/keys.db', 1000, () => db.pragma('wal_autocheckpoint = 1000'));
 * // ... on close:
 * await checkpointer.stop();
 * ```
 */
export function startWalCheckpointer(
  file: string,
  intervalMs: number,
  onError: (error: unknown) => void,
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData: CheckpointerData = { driver, file, intervalMs };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
  worker.unref();
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (error) => {
    if (!stopped) onError(error);
  });
  return {
    stop: async () => {
      if (stopped) return exited;
      stopped = true;
      // Keeps the process alive until the worker has closed its connection.
      worker.ref();
      worker.postMessage('stop');
      // A worker stuck in a checkpoint still ends: terminate after a grace period.
      const timer = setTimeout(() => void worker.terminate(), 2_000);
      timer.unref();
      await exited;
      clearTimeout(timer);
    },
  };
}
