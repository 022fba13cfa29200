/**
 * Verifies a range of one application's chain from the store, page by page, with the contract's
 * `ChainVerification` (the code SDK users verify with). It goes on past a break and reports every break (bounded),
 * so a second break is never hidden behind the first. Runs on the event loop for short ranges (yielding between
 * pages) and inside the verification workers, on their own connections, for long ones (split-range.ts cuts a long
 * range into parts walked in parallel and joins them).
 */
import { ChainVerification, GENESIS_HASH, sha256Hex, standaloneHash, type ChainBreak, type VerifyResult } from '@audit-trail/sdk/contract';
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

/**
 * Everything the next entry's check depends on (`ChainVerification`'s walking state): the hash it must follow,
 * the sequence it must have, the oldest recipe it may use. Two walks in the same state check the next entries
 * identically, which is what lets a range be walked in parts (split-range.ts).
 */
export interface ChainState {
  hash: string;
  /** The sequence the next entry must have. */
  sequence: number;
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

/** Options of {@link walkRange}. */
export interface WalkOptions extends VerifyRangeOptions {
  /** Start in exactly this state (a part after a break at its boundary, split-range.ts); overrides `anchor`. */
  start?: ChainState;
  /**
   * Whether the range ends the verification: then rows missing at its end are looked for (a row after it, or an
   * `entries_missing` break). A part followed by another leaves that to the join. @default true
   */
  finish?: boolean;
}

/** A walk over a range: the state it assumed, the state it ended in, and what it found. Structured-cloneable. */
export interface WalkOutcome {
  /** The state before the first row, as the walk assumed it. */
  start: ChainState;
  /** The state after the last row of the range (before the end check of a finishing walk). */
  end: ChainState;
  /** The hash a valid result reports (`lastHash`). */
  lastHash: string;
  /** Entries checked before the first break. */
  checked: number;
  /** Rows looked at, the end check's included. */
  examined: number;
  breaks: ChainBreak[];
  truncated: boolean;
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

const stateOf = (verification: ChainVerification): ChainState => ({
  hash: verification.previousHash,
  sequence: verification.expectedSequence,
  version: verification.previousVersion,
});

/**
 * Walks entries `fromSequence..toSequence` of one application's chain (`toSequence` at most the head) and returns
 * what it found and the state it ended in.
 */
export async function walkRange(
  entries: ChainReader,
  applicationId: string,
  fromSequence: number,
  toSequence: number,
  options: WalkOptions = {},
): Promise<WalkOutcome> {
  const pageSize = options.pageSize ?? 1000;
  // Anchor on the row before the range when it exists, so a range that no longer follows its predecessor fails;
  // otherwise the first entry's own previousHash (genesis for sequence 1) is the anchor.
  let anchorHash = options.start?.hash ?? options.anchor?.hash;
  let anchorVersion = options.start?.version ?? options.anchor?.version ?? 1;
  const firstSequence = options.start?.sequence ?? fromSequence;
  if (anchorHash === undefined) {
    if (fromSequence <= 1) anchorHash = GENESIS_HASH;
    else {
      const before = await entries.findBySequence(applicationId, fromSequence - 1);
      anchorHash = before?.hash;
      if (before) anchorVersion = before.hashVersion;
    }
  }
  let verification: ChainVerification | undefined;
  // Without a row before the range, the walk starts from its first row's own previousHash.
  let assumedHash = GENESIS_HASH;
  const begin = (firstPreviousHash: string): ChainVerification => {
    assumedHash = anchorHash ?? firstPreviousHash;
    return new ChainVerification(assumedHash, firstSequence, anchorVersion);
  };
  // The fast path when the engine offers it: one reused row object, the standalone hash from its column values
  // (no entry object, no closure per row).
  let current: HashedRow | undefined;
  const currentStandaloneHash = (): string => sha256Hex(canonicalFromColumns(current as HashedRow));
  const visit = (row: HashedRow): void => {
    current = row;
    verification ??= begin(row.previousHash);
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
      verification ??= begin(first.previousHash);
      for (const entry of page) verification.addLink(entry, () => standaloneHash(entry));
      read = page.length;
      next = (page[page.length - 1]?.sequence ?? next) + 1;
    }
    if (read < pageSize) break;
    await options.betweenPages?.();
  }
  verification ??= begin(GENESIS_HASH);
  const start: ChainState = { hash: assumedHash, sequence: firstSequence, version: anchorVersion };
  const end = stateOf(verification);
  if ((options.finish ?? true) && verification.expectedSequence <= toSequence) {
    // Rows are missing at the end of the range. A row after the range shows where they went missing (checked by
    // the next range); none at all, yet the range ends at or before the head: the newest entries were removed.
    // The head is kept apart from the rows (applications table), so removing rows cannot rewind it.
    const after = await entries.nextAfter(applicationId, verification.expectedSequence - 1);
    if (after) verification.add(after);
    else verification.addBreak({ sequence: verification.expectedSequence, entryId: null, reason: 'entries_missing' });
  }
  return {
    start,
    end,
    lastHash: verification.previousHash,
    checked: verification.checkedBeforeBreak,
    examined: verification.examined,
    breaks: verification.breaks,
    truncated: verification.truncated,
  };
}

/** The {@link RangeOutcome} of walks that follow one another (each starting in the state the one before ended in). */
export function joinWalks(walks: readonly WalkOutcome[]): RangeOutcome {
  const first = walks[0];
  if (!first) throw new Error('joinWalks: no walk');
  const verification = new ChainVerification(first.start.hash, first.start.sequence, first.start.version);
  let end = first.start;
  let lastHash = first.start.hash;
  for (const walk of walks) {
    if (verification.breaks.length === 0 && !verification.truncated) verification.checkedBeforeBreak += walk.checked;
    verification.examined += walk.examined;
    for (const found of walk.breaks) verification.addBreak(found);
    if (walk.truncated) verification.truncated = true;
    end = walk.end;
    lastHash = walk.lastHash;
  }
  verification.previousHash = lastHash;
  return { result: verification.result(), through: end.sequence - 1, hash: end.hash, version: end.version };
}

/** Verifies entries `fromSequence..toSequence` of one application's chain (`toSequence` at most the head). */
export async function verifyRangeOutcome(
  entries: ChainReader,
  applicationId: string,
  fromSequence: number,
  toSequence: number,
  options: VerifyRangeOptions = {},
): Promise<RangeOutcome> {
  return joinWalks([await walkRange(entries, applicationId, fromSequence, toSequence, options)]);
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
