/**
 * The items `integrity_alert` emits: one per break the service's integrity monitor found. Its `id` names the
 * break (application, sequence, reason) and nothing else, so Zapier's dedupe fires once per break however often
 * it is polled, and once for each further break: a second break never hides behind the first.
 */
import type { ChainFailureReason, IntegrityBreak, IntegrityStatus } from '@audit-trail/sdk/contract';

/** An integrity alert, as the trigger returns it. */
export interface ChainAlert {
  id: string;
  applicationId: string;
  firstBadSequence: number;
  /** `null` when the newest entries were removed: no entry is left at the first bad position. */
  firstBadEntryId: string | null;
  reason: ChainFailureReason;
  /** Entries `1..verifiedSequence` have been checked when this alert was polled. */
  verifiedSequence: number;
  headSequence: number;
  message: string;
  detectedAt: string;
}

/** What each failure reason means, for the person who gets paged. */
export const REASON_TEXT: Record<ChainFailureReason, string> = {
  standalone_hash_mismatch: "the entry's data was changed after it was recorded",
  hash_mismatch: "the entry's chained hash does not match its data and position",
  previous_hash_mismatch: 'the entry does not follow the entry before it (entries were reordered or replaced)',
  sequence_gap: 'entries before it are missing (the trail was cut)',
  entries_missing: 'the newest entries were removed from the trail',
  unknown_hash_version: 'the entry claims a hash recipe that is unknown or older than the entry before it',
};

/** The alert of one break. */
export function breakAlert(status: Pick<IntegrityStatus, 'applicationId' | 'verifiedSequence' | 'headSequence'>, found: IntegrityBreak): ChainAlert {
  return {
    id: found.id,
    applicationId: status.applicationId,
    firstBadSequence: found.sequence,
    firstBadEntryId: found.entryId,
    reason: found.reason,
    verifiedSequence: status.verifiedSequence,
    headSequence: status.headSequence,
    message: `The audit trail of application ${status.applicationId} is broken at entry #${found.sequence}: ${REASON_TEXT[found.reason]}.`,
    detectedAt: found.detectedAt,
  };
}

/** One alert per break, newest position first (Zapier wants polling results newest first). */
export function integrityAlerts(status: IntegrityStatus): ChainAlert[] {
  return [...status.breaks].sort((a, b) => b.sequence - a.sequence).map((found) => breakAlert(status, found));
}
