/**
 * The item `integrity_alert` emits for a broken chain. Its `id` names the break (application, first bad sequence,
 * reason) and nothing else, so Zapier's dedupe fires once per break however often it is polled, and again only
 * when a different break appears.
 */
import type { ChainFailureReason, VerifyResult } from '@audit-trail/sdk/contract';

/** An integrity alert, as the trigger returns it. */
export interface ChainAlert {
  id: string;
  applicationId: string;
  firstBadSequence: number;
  /** `null` when the newest entries were removed: no entry is left at the first bad position. */
  firstBadEntryId: string | null;
  reason: ChainFailureReason;
  checked: number;
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

/** The alert for a failed verification, or `undefined` when the chain is intact. */
export function chainAlert(applicationId: string, result: VerifyResult, now: Date = new Date()): ChainAlert | undefined {
  if (result.valid) return undefined;
  return {
    id: `${applicationId}:${result.firstBadSequence}:${result.reason}`,
    applicationId,
    firstBadSequence: result.firstBadSequence,
    firstBadEntryId: result.firstBadEntryId,
    reason: result.reason,
    checked: result.checked,
    message: `The audit trail of application ${applicationId} is broken at entry #${result.firstBadSequence}: ${REASON_TEXT[result.reason]}.`,
    detectedAt: now.toISOString(),
  };
}
