/**
 * Verification that never blocks. Per application the monitor keeps a verified watermark (how far the chain is
 * known to verify, and the hash there) and the breaks found:
 * - {@link IntegrityMonitor.check} verifies only the entries added since the watermark (cost grows with new
 *   entries, not with the trail), records every break and moves the watermark; a full pass is started in the
 *   background when the last one is older than `fullPassIntervalMs`;
 * - {@link IntegrityMonitor.fullPass} re-verifies the whole chain in worker threads (each on its own read
 *   connection; a long chain is cut into parts walked at the same time, split-range.ts), so edits below the
 *   watermark are found too.
 * Short ranges are verified on the event loop, yielding between pages of `pageSize` entries (a page is a few ms);
 * anything longer than `inlineLimit` entries goes to a worker. One check and one full pass per application at a
 * time: concurrent callers share the one running.
 */
import { GENESIS_HASH, LIMITS, type IntegrityBreak, type IntegrityStatus, type VerifyResult } from '@audit-trail/sdk/contract';
import type { IntegrityBreakRecord, Store, VerifiedWatermark } from '../store/repositories.js';
import { verifyInWorker, type ParallelOptions } from './run-in-worker.js';
import { verifyRangeOutcome, type RangeOutcome, type VerifyAnchor } from './verify-range.js';

/** Options of {@link IntegrityMonitor}. */
export interface IntegrityMonitorOptions {
  /** Ranges longer than this are verified in a worker thread. @default 5000 */
  inlineLimit?: number;
  /** Rows per page on the event loop (the event loop is yielded between pages). @default 500 */
  pageSize?: number;
  /** A full pass is due when the last finished longer ago than this. @default 6 hours */
  fullPassIntervalMs?: number;
  /** Injectable clock, for tests. */
  now?: () => Date;
  /** How a range verified in workers is spread over threads (run-in-worker.ts). */
  parallel?: ParallelOptions;
}

const EMPTY: VerifiedWatermark = { sequence: 0, hash: GENESIS_HASH, hashVersion: 1, root: null, lastFullPassAt: null };

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class IntegrityMonitor {
  private readonly inlineLimit: number;
  private readonly pageSize: number;
  private readonly fullPassIntervalMs: number;
  private readonly now: () => Date;
  private readonly parallel: ParallelOptions;
  private readonly checks = new Map<string, Promise<IntegrityStatus>>();
  private readonly fullPasses = new Map<string, Promise<VerifyResult>>();

  constructor(
    private readonly store: Store,
    options: IntegrityMonitorOptions = {},
  ) {
    this.inlineLimit = options.inlineLimit ?? 5000;
    this.pageSize = options.pageSize ?? 500;
    this.fullPassIntervalMs = options.fullPassIntervalMs ?? 6 * 60 * 60 * 1000;
    this.now = options.now ?? (() => new Date());
    this.parallel = options.parallel ?? {};
  }

  /** Verifies `from..to`: on the event loop (yielding) when short, in a worker otherwise. */
  async verify(applicationId: string, fromSequence: number, toSequence: number, anchor?: VerifyAnchor): Promise<RangeOutcome> {
    if (toSequence - fromSequence + 1 > this.inlineLimit) {
      return verifyInWorker({ source: this.store.readerSource, applicationId, fromSequence, toSequence, ...(anchor ? { anchor } : {}) }, this.parallel);
    }
    return verifyRangeOutcome(this.store.entries, applicationId, fromSequence, toSequence, {
      pageSize: this.pageSize,
      betweenPages: yieldToEventLoop,
      ...(anchor ? { anchor } : {}),
    });
  }

  /** Checks the entries added since the watermark and returns the status (one check per application at a time). */
  check(applicationId: string): Promise<IntegrityStatus> {
    const running = this.checks.get(applicationId);
    if (running) return running;
    const check = this.runCheck(applicationId).finally(() => this.checks.delete(applicationId));
    this.checks.set(applicationId, check);
    return check;
  }

  /** Re-verifies the whole chain in a worker, records its breaks (one full pass per application at a time). */
  fullPass(applicationId: string): Promise<VerifyResult> {
    const running = this.fullPasses.get(applicationId);
    if (running) return running;
    const pass = this.runFullPass(applicationId).finally(() => this.fullPasses.delete(applicationId));
    this.fullPasses.set(applicationId, pass);
    return pass;
  }

  /** Resolves when no check or full pass is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.checks.size > 0 || this.fullPasses.size > 0) {
      await Promise.allSettled([...this.checks.values(), ...this.fullPasses.values()]);
    }
  }

  private async runCheck(applicationId: string): Promise<IntegrityStatus> {
    const { entries, verification } = this.store;
    const head = await entries.head(applicationId);
    const watermark = (await verification.watermark(applicationId)) ?? EMPTY;
    if (head.sequence > watermark.sequence) {
      const outcome = await this.verify(applicationId, watermark.sequence + 1, head.sequence, {
        hash: watermark.hash,
        version: watermark.hashVersion,
      });
      await this.record(applicationId, outcome.result);
      // Re-read: a full pass may have finished meanwhile; the watermark only ever moves forward.
      const current = (await verification.watermark(applicationId)) ?? EMPTY;
      if (outcome.through > current.sequence) {
        await verification.saveWatermark(applicationId, { ...current, sequence: outcome.through, hash: outcome.hash, hashVersion: outcome.version });
      }
    } else if (head.sequence < watermark.sequence) {
      // The stored head moved back below what was already verified: entries were cut and the head rewound.
      await this.record(applicationId, {
        valid: false,
        checked: 0,
        firstBadEntryId: null,
        firstBadSequence: head.sequence + 1,
        reason: 'entries_missing',
        breaks: [{ sequence: head.sequence + 1, entryId: null, reason: 'entries_missing' }],
        breaksTruncated: false,
      });
    }
    const latest = (await verification.watermark(applicationId)) ?? EMPTY;
    if (this.fullPassDue(latest) && !this.fullPasses.has(applicationId)) {
      // In the background: the status answers now, the pass's breaks show in a later status.
      this.fullPass(applicationId).catch(() => undefined);
    }
    return this.status(applicationId, head.sequence, latest);
  }

  private fullPassDue(watermark: VerifiedWatermark): boolean {
    if (watermark.lastFullPassAt === null) return watermark.sequence > 0;
    return this.now().getTime() - Date.parse(watermark.lastFullPassAt) >= this.fullPassIntervalMs;
  }

  private async runFullPass(applicationId: string): Promise<VerifyResult> {
    const { entries, verification } = this.store;
    const head = await entries.head(applicationId);
    const outcome = await verifyInWorker({ source: this.store.readerSource, applicationId, fromSequence: 1, toSequence: head.sequence }, this.parallel);
    await this.record(applicationId, outcome.result);
    const current = (await verification.watermark(applicationId)) ?? EMPTY;
    const finishedAt = this.now().toISOString();
    await verification.saveWatermark(
      applicationId,
      outcome.through > current.sequence
        ? { ...current, sequence: outcome.through, hash: outcome.hash, hashVersion: outcome.version, lastFullPassAt: finishedAt }
        : { ...current, lastFullPassAt: finishedAt },
    );
    return outcome.result;
  }

  private async record(applicationId: string, result: VerifyResult): Promise<void> {
    if (result.valid) return;
    const detectedAt = this.now().toISOString();
    const records: IntegrityBreakRecord[] = result.breaks.map((found) => ({ ...found, detectedAt }));
    await this.store.verification.recordBreaks(applicationId, records);
  }

  private async status(applicationId: string, headSequence: number, watermark: VerifiedWatermark): Promise<IntegrityStatus> {
    const records = await this.store.verification.breaks(applicationId, LIMITS.integrityBreaks);
    const breaks: IntegrityBreak[] = records.map((found) => ({ id: breakId(applicationId, found), ...found }));
    return {
      applicationId,
      headSequence,
      verifiedSequence: watermark.sequence,
      verifiedHash: watermark.hash,
      verifiedRoot: watermark.root,
      lastFullPassAt: watermark.lastFullPassAt,
      fullPassRunning: this.fullPasses.has(applicationId),
      breaks,
    };
  }
}

/** The stable id of a break: the same break always gets the same id, a different break a different one. */
export function breakId(applicationId: string, found: Pick<IntegrityBreakRecord, 'sequence' | 'reason'>): string {
  return `${applicationId}:${found.sequence}:${found.reason}`;
}
