/**
 * Entry point of the verification worker thread: verifies one range of one application's chain on a read
 * connection of its own and posts the {@link RangeOutcome} back. It runs the compiled file
 * (`dist/verification/verify-worker.js`); see `run-in-worker.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkerReader } from './worker-readers.js';
import { verifyRangeOutcome } from './verify-range.js';
import type { VerifyJob, WorkerReply } from './run-in-worker.js';

/** Rows per query in the worker. */
const WORKER_PAGE_SIZE = 10_000;

async function run(job: VerifyJob): Promise<WorkerReply> {
  const opened = await openWorkerReader(job.source);
  try {
    // Large pages: the worker has no event loop to share, and each page is a query (a round trip on PostgreSQL).
    const pageSize = job.pageSize ?? WORKER_PAGE_SIZE;
    const options = job.anchor ? { anchor: job.anchor, pageSize } : { pageSize };
    return { ok: true, outcome: await verifyRangeOutcome(opened.reader, job.applicationId, job.fromSequence, job.toSequence, options) };
  } finally {
    await opened.close();
  }
}

run(workerData as VerifyJob).then(
  (reply) => parentPort?.postMessage(reply),
  (error: unknown) => parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply),
);
