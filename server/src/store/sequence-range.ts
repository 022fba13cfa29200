/**
 * The sequence range a list page scans, on both engines: the time window's bounds (timestamps never decrease along
 * a chain, so `from`/`to` are sequence bounds) narrowed by the page's cursor. The scan then walks the
 * (application_id, sequence) key or the sequence tail of a filter's index, never the whole chain.
 */
import type { EntryPage } from './repositories.js';

/** Inclusive sequence bounds; an absent side is open. */
export interface SequenceRange {
  low?: number;
  high?: number;
}

/** The range of `page` within `bounds`, or `undefined` when nothing can match. */
export function pageSequenceRange(bounds: SequenceRange, page: EntryPage): SequenceRange | undefined {
  let { low, high } = bounds;
  if (page.afterSequence !== undefined) {
    if (page.order === 'asc') low = Math.max(low ?? 0, page.afterSequence + 1);
    else high = Math.min(high ?? Number.MAX_SAFE_INTEGER, page.afterSequence - 1);
  }
  if (low !== undefined && high !== undefined && low > high) return undefined;
  return { low, high };
}
