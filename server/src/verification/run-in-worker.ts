/**
 * Runs a verification in `worker_threads` workers, off the server's event loop: a full pass over a million
 * entries takes seconds of CPU, which on the event loop would hold every other request for as long. A long range
 * is cut into parts, one worker each (at most {@link ParallelOptions.threads}, by default two where the machine has
 * two cores), joined with a check at every boundary (split-range.ts), so a full pass uses the cores it may.
 *
 * The worker runs compiled JavaScript: `dist/verification/verify-worker.js` next to this file once built, or, when
 * this module runs from its TypeScript source (tests), the package's built copy (`npm run build` first).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReaderSource } from '../store/repositories.js';
import { splitRange, verifyParts, type PartWalk } from './split-range.js';
import type { RangeOutcome, VerifyAnchor, WalkOutcome } from './verify-range.js';

/** What is to be verified. */
export interface VerifyJob {
  source: ReaderSource;
  applicationId: string;
  fromSequence: number;
  toSequence: number;
  anchor?: VerifyAnchor;
  pageSize?: number;
}

/** What one worker is asked: one part of a {@link VerifyJob}. */
export interface WorkerJob extends Omit<VerifyJob, 'fromSequence' | 'toSequence' | 'anchor'>, PartWalk {}

/** What the worker posts back. */
export type WorkerReply = { ok: true; outcome: WalkOutcome } | { ok: false; message: string };

/** How a verification is spread over workers. */
export interface ParallelOptions {
  /** Workers walking parts of one range at the same time. @default min(2, available parallelism) */
  threads?: number;
  /** A range is cut only into parts of at least this many entries (a worker costs tens of ms to start). @default 25000 */
  minPartLength?: number;
}

/** The default of {@link ParallelOptions.threads}. */
export const defaultVerificationThreads = (): number => Math.max(1, Math.min(2, availableParallelism()));

function workerFile(): string {
  const file = __filename.endsWith('.ts')
    ? join(__dirname, '..', '..', 'dist', 'verification', 'verify-worker.js')
    : join(__dirname, 'verify-worker.js');
  if (!existsSync(file)) throw new Error(`verification worker ${file} is missing: run npm run build`);
  return file;
}

/** Walks one part in a new worker thread; rejects when the worker fails. */
function walkInWorker(job: WorkerJob): Promise<WalkOutcome> {
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

/** Verifies `job` in worker threads (several for a long range); rejects when a worker fails. */
export function verifyInWorker(job: VerifyJob, options: ParallelOptions = {}): Promise<RangeOutcome> {
  const { fromSequence, toSequence, anchor, ...common } = job;
  const parts = splitRange(fromSequence, toSequence, options.threads ?? defaultVerificationThreads(), options.minPartLength ?? 25_000);
  return verifyParts((part) => walkInWorker({ ...common, ...part }), parts, anchor);
}
