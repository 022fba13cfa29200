/**
 * A long range verified in parts walked at the same time (one worker thread each, run-in-worker.ts), joined into
 * exactly the outcome one walk over the whole range gives: the same breaks, in order, bounded, and the same
 * `through`/`hash`/`version` for the watermark.
 *
 * Why that holds: each entry's check depends only on its own row and the walking state before it
 * ({@link ChainState}: the hash it must follow, the sequence it must have, the oldest recipe it may use). A part
 * after the first assumes the state an intact chain would be in at its start (the stored hash and version of the
 * row before it). The join then checks that boundary: the part before must have ENDED in exactly that state. When
 * it did not (an entry at the boundary was changed, removed or moved, or the recipe went back), the part's
 * findings rest on a wrong assumption and it is walked again from the state the walk before it really ended in.
 * An intact chain never needs that second walk; a tampered one needs it only for a part whose boundary was hit.
 */
import type { ChainState, RangeOutcome, VerifyAnchor, WalkOutcome } from './verify-range.js';
import { joinWalks } from './verify-range.js';

/** A part of a range. */
export interface RangePart {
  fromSequence: number;
  toSequence: number;
}

/** What one part's walk is asked: its range, where it starts, whether it ends the verification. */
export interface PartWalk extends RangePart {
  /** The first part's anchor, when the verification continues from the watermark. */
  anchor?: VerifyAnchor;
  /** The exact state to start in (the second walk of a part whose boundary check failed). */
  start?: ChainState;
  /** Only the last part looks for rows missing at the end of the range. */
  finish: boolean;
}

/** Walks one part: in a worker thread in the server, in-process in tests. */
export type WalkPart = (part: PartWalk) => Promise<WalkOutcome>;

/** `from..to` cut into at most `parts` contiguous parts of at least `minPartLength` entries each (one at least). */
export function splitRange(fromSequence: number, toSequence: number, parts: number, minPartLength: number): RangePart[] {
  const length = toSequence - fromSequence + 1;
  const count = Math.max(1, Math.min(Math.floor(parts), Math.floor(length / Math.max(1, minPartLength))));
  const out: RangePart[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      fromSequence: fromSequence + Math.floor((length * i) / count),
      toSequence: fromSequence + Math.floor((length * (i + 1)) / count) - 1,
    });
  }
  return out;
}

const sameState = (a: ChainState, b: ChainState): boolean => a.hash === b.hash && a.sequence === b.sequence && a.version === b.version;

/** Walks `parts` (contiguous, ascending) at the same time and joins them, checking every boundary. */
export async function verifyParts(walk: WalkPart, parts: readonly RangePart[], anchor?: VerifyAnchor): Promise<RangeOutcome> {
  const last = parts.length - 1;
  const outcomes = await Promise.all(
    parts.map((part, i) => walk({ ...part, ...(i === 0 && anchor ? { anchor } : {}), finish: i === last })),
  );
  const joined: WalkOutcome[] = [];
  let state: ChainState | undefined;
  for (const [i, part] of parts.entries()) {
    let outcome = outcomes[i] as WalkOutcome;
    if (state !== undefined && !sameState(outcome.start, state)) {
      // The boundary check failed: walk this part again from where the chain really is.
      outcome = await walk({ ...part, start: state, finish: i === last });
    }
    joined.push(outcome);
    state = outcome.end;
  }
  return joinWalks(joined);
}
