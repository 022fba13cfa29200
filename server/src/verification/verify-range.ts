/**
 * Verifies a range of one application's chain from the store, page by page, with the contract's
 * `ChainVerification` (the code SDK users verify with). It goes on past a break and reports every break (bounded),
 * so a second break is never hidden behind the first. Runs on the event loop for short ranges (yielding between
 * pages) and inside the verification worker, on its own connection, for long ones.
 */
import { ChainVerification, GENESIS_HASH, standaloneHash, type VerifyResult } from '@audit-trail/sdk/contract';
import { createHash } from 'node:crypto';
import type { EntryRepository, HashedRow } from '../store/repositories.js';
import { canonicalFromColumns } from './row-canonical.js';

/** The reads a verification needs: a subset of {@link EntryRepository}, so a worker can bring its own. */
export type ChainReader = Pick<EntryRepository, 'findBySequence' | 'range' | 'nextAfter' | 'visitHashedRows'>;

/** Where a verification starts when it continues from a known point (the watermark). */
export interface VerifyAnchor {
  /** The hash of entry `fromSequence - 1`. */
  hash: string;
  /** The hash version of entry `fromSequence - 1` (a chain never goes back to an older recipe). */
  version: number;
}

/** Options of {@link verifyRange}. */
export interface VerifyRangeOptions {
  /** Rows read per query: a long chain never sits in memory at once. @default 1000 */
  pageSize?: number;
  /** Start from this anchor instead of reading entry `fromSequence - 1`. */
  anchor?: VerifyAnchor;
  /** Called between pages; a caller on the event loop yields here so that other requests are served. */
  betweenPages?: () => Promise<void>;
}

/** The result, and where the walk ended: the anchor of a check that continues after it. */
export interface RangeOutcome {
  result: VerifyResult;
  /** The last sequence examined (`fromSequence - 1` when none). */
  through: number;
  /** The stored hash of entry `through` (what the next entry must follow). */
  hash: string;
  /** The newest hash version seen up to `through`. */
  version: number;
}

/** Verifies entries `fromSequence..toSequence` of one application's chain (`toSequence` at most the head). */
export async function verifyRangeOutcome(
  entries: ChainReader,
  applicationId: string,
  fromSequence: number,
  toSequence: number,
  options: VerifyRangeOptions = {},
): Promise<RangeOutcome> {
  const pageSize = options.pageSize ?? 1000;
  // Anchor on the row before the range when it exists, so a range that no longer follows its predecessor fails;
  // otherwise the first entry's own previousHash (genesis for sequence 1) is the anchor.
  let anchorHash = options.anchor?.hash;
  let anchorVersion = options.anchor?.version ?? 1;
  if (anchorHash === undefined) {
    if (fromSequence <= 1) anchorHash = GENESIS_HASH;
    else {
      const before = await entries.findBySequence(applicationId, fromSequence - 1);
      anchorHash = before?.hash;
      if (before) anchorVersion = before.hashVersion;
    }
  }
  let verification: ChainVerification | undefined;
  // The fast path when the engine offers it: one reused row object, the standalone hash from its column values
  // (no entry object, no closure per row).
  let current: HashedRow | undefined;
  const currentStandaloneHash = (): string => createHash('sha256').update(canonicalFromColumns(current as HashedRow), 'utf8').digest('hex');
  const visit = (row: HashedRow): void => {
    current = row;
    verification ??= new ChainVerification(anchorHash ?? row.previousHash, fromSequence, anchorVersion);
    verification.addLink(row, currentStandaloneHash);
  };
  let next = fromSequence;
  while (next <= toSequence) {
    let read: number;
    if (entries.visitHashedRows) {
      read = await entries.visitHashedRows(applicationId, next, toSequence, pageSize, visit);
      if (read === 0) break;
      next = (current as HashedRow).sequence + 1;
    } else {
      const page = await entries.range(applicationId, next, toSequence, pageSize);
      const first = page[0];
      if (!first) break;
      verification ??= new ChainVerification(anchorHash ?? first.previousHash, fromSequence, anchorVersion);
      for (const entry of page) verification.addLink(entry, () => standaloneHash(entry));
      read = page.length;
      next = (page[page.length - 1]?.sequence ?? next) + 1;
    }
    if (read < pageSize) break;
    await options.betweenPages?.();
  }
  verification ??= new ChainVerification(anchorHash ?? GENESIS_HASH, fromSequence, anchorVersion);
  const through = verification.expectedSequence - 1;
  const hash = verification.previousHash;
  const version = verification.previousVersion;
  if (verification.expectedSequence <= toSequence) {
    // Rows are missing at the end of the range. A row after the range shows where they went missing (checked by
    // the next range); none at all, yet the range ends at or before the head: the newest entries were removed.
    // The head is kept apart from the rows (applications table), so removing rows cannot rewind it.
    const after = await entries.nextAfter(applicationId, verification.expectedSequence - 1);
    if (after) verification.add(after);
    else verification.addBreak({ sequence: verification.expectedSequence, entryId: null, reason: 'entries_missing' });
  }
  return { result: verification.result(), through, hash, version };
}

/** {@link verifyRangeOutcome}, the result only. */
export async function verifyRange(
  entries: ChainReader,
  applicationId: string,
  fromSequence: number,
  toSequence: number,
  options: VerifyRangeOptions = {},
): Promise<VerifyResult> {
  return (await verifyRangeOutcome(entries, applicationId, fromSequence, toSequence, options)).result;
}
