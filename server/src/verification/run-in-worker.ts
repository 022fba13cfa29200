/**
 * Runs a verification in a `worker_threads` worker, off the server's event loop: a full pass over a million
 * entries takes seconds of CPU, which on the event loop would hold every other request for as long.
 *
 * The worker runs compiled JavaScript: `dist/verification/verify-worker.js` next to this file once built, or, when
 * this module runs from its TypeScript source (tests), the package's built copy (`npm run build` first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReaderSource } from '../store/repositories.js';
import type { RangeOutcome, VerifyAnchor } from './verify-range.js';

/** What the worker is asked to verify. */
export interface VerifyJob {
  source: ReaderSource;
  applicationId: string;
  fromSequence: number;
  toSequence: number;
  anchor?: VerifyAnchor;
  pageSize?: number;
}

/** What the worker posts back. */
export type WorkerReply = { ok: true; outcome: RangeOutcome } | { ok: false; message: string };

function workerFile(): string {
  const file = __filename.endsWith('.ts')
    ? join(__dirname, '..', '..', 'dist', 'verification', 'verify-worker.js')
    : join(__dirname, 'verify-worker.js');
  if (!existsSync(file)) throw new Error(`verification worker ${file} is missing: run npm run build`);
  return file;
}

/** Verifies `job` in a new worker thread; rejects when the worker fails. */
export function verifyInWorker(job: VerifyJob): Promise<RangeOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile(), { workerData: job });
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      action();
    };
    worker.once('message', (reply: WorkerReply) =>
      settle(() => (reply.ok ? resolve(reply.outcome) : reject(new Error(`verification worker: ${reply.message}`)))),
    );
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`verification worker exited with code ${code} before replying`))));
  });
}
