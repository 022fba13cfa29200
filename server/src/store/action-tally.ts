/**
 * The action summary's pending changes within one append: entries are tallied per (application, action) as they
 * are inserted and written once, when the head moves, so a 500-entry batch costs one upsert per distinct action
 * rather than one per entry.
 */
import type { StoredEntry } from '@audit-trail/sdk/contract';

/** One pending change of the summary. */
export interface ActionDelta {
  applicationId: string;
  action: string;
  /** Entries added. */
  count: number;
  /** Timestamp and sequence of the newest of them. */
  lastRecordedAt: string;
  lastSequence: number;
}

export class ActionTally {
  private pending = new Map<string, ActionDelta>();

  add(entry: StoredEntry): void {
    const key = `${entry.applicationId}\u0000${entry.action}`;
    const delta = this.pending.get(key);
    if (delta) {
      delta.count += 1;
      if (entry.sequence > delta.lastSequence) {
        delta.lastSequence = entry.sequence;
        delta.lastRecordedAt = entry.timestamp;
      }
    } else {
      this.pending.set(key, { applicationId: entry.applicationId, action: entry.action, count: 1, lastRecordedAt: entry.timestamp, lastSequence: entry.sequence });
    }
  }

  /** The changes so far, forgotten. */
  drain(): ActionDelta[] {
    const deltas = [...this.pending.values()];
    this.pending = new Map();
    return deltas;
  }
}
