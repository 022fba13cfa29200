/**
 * Checkpoints the SQLite write-ahead log from a worker thread with a connection of its own. Left to SQLite, the
 * COMMIT that pushes the WAL past `wal_autocheckpoint` pages copies the whole WAL back into the database file (and
 * syncs it) before it returns: one append in a few hundred paid for all of them, on the event loop. Here a PASSIVE
 * checkpoint (it never waits for, nor blocks, the writer or the readers) runs every {@link CHECKPOINT_INTERVAL_MS}
 * on the other core, and the server's connection keeps a high `wal_autocheckpoint` only as a backstop should the
 * worker fall behind (see sqlite-store.ts).
 */
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints, ms. */
export const CHECKPOINT_INTERVAL_MS = 200;

// Plain CommonJS evaluated in the worker (no file to locate from dist/ or from the TypeScript sources under jest).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
process.removeAllListeners('warning');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
const checkpoint = () => {
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    // SQLITE_BUSY (another checkpoint running): the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** A running checkpointer; `stop()` ends its thread. */
export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing the WAL of the database at `path` in a worker thread (it never keeps the process alive). */
export function startCheckpointer(path: string, intervalMs: number = CHECKPOINT_INTERVAL_MS): Checkpointer {
  // stderr: false would hide a crash; the worker prints nothing in normal operation.
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, intervalMs } });
  worker.unref();
  // A worker that fails (e.g. the file went away) leaves the backstop autocheckpoint in charge.
  worker.on('error', () => undefined);
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (worker.threadId < 0) return resolve();
        // Referenced while it stops: otherwise a process with nothing else to do would exit inside `close()`,
        // before the caller's next line.
        worker.ref();
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
        // If the thread is busy or gone, terminate it: a PASSIVE checkpoint cut short harms nothing.
        setTimeout(() => void worker.terminate(), 1000).unref();
      }),
  };
}
