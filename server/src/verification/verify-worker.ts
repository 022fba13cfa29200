/**
 * Entry point of a verification worker thread: walks one part of one application's chain on a read connection of
 * its own and posts the {@link WalkOutcome} back. It runs the compiled file (`dist/verification/verify-worker.js`);
 * see `run-in-worker.ts`.
 */
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkerReader } from './worker-readers.js';
import { walkRange, type WalkOptions } from './verify-range.js';
import type { WorkerJob, WorkerReply } from './run-in-worker.js';

/** Rows per query in the worker. */
const WORKER_PAGE_SIZE = 10_000;

/**
 * A full pass keeps both cores busy for seconds; requests must still be answered promptly meanwhile. On Linux a
 * thread has its own nice value (setpriority(2) with pid 0 applies to the calling thread), so this thread yields
 * the CPU to the server's event loop without lowering the server. Elsewhere (Windows: the whole process' class)
 * it is left as is.
 */
function yieldToRequests(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // A sandbox refusing it: verification is still correct, only not deprioritised.
  }
}

async function run(job: WorkerJob): Promise<WorkerReply> {
  yieldToRequests();
  const opened = await openWorkerReader(job.source);
  try {
    // Large pages: the worker has no event loop to share, and each page is a query (a round trip on PostgreSQL).
    const options: WalkOptions = {
      pageSize: job.pageSize ?? WORKER_PAGE_SIZE,
      finish: job.finish,
      ...(job.anchor ? { anchor: job.anchor } : {}),
      ...(job.start ? { start: job.start } : {}),
    };
    return { ok: true, outcome: await walkRange(opened.reader, job.applicationId, job.fromSequence, job.toSequence, options) };
  } finally {
    await opened.close();
  }
}

run(workerData as WorkerJob).then(
  (reply) => parentPort?.postMessage(reply),
  (error: unknown) => parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply),
);
