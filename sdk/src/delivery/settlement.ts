/**
 * How a batch's entries end: the internal record of one entry's outcome, and the event payloads built from it.
 */
import type { Receipt } from '../contract/schemas.js';
import type { QueuedEntry } from './batch.js';
import { slotText } from './entry-arena.js';
import { entryOf, type DeliveryEvents, type FailedEntry, type FailureReason } from './events.js';

/** How one entry was settled. */
export type Settlement =
  /** `receipt` is absent when the batch was sent for a compact reply (no `delivered` listener then). */
  | { failed: false; receipt?: Receipt; duplicate: boolean }
  | { failed: true; reason: FailureReason; code?: string; status?: number; message: string };

/** Why a batch could not be delivered (from send-batch's outcome). */
export interface Cause {
  status?: number;
  code?: string;
  message: string;
}

/** The settlement of every entry of a batch that failed as a whole. */
export function failure(reason: FailureReason, cause: Cause): Settlement {
  const settlement: Settlement = { failed: true, reason, message: cause.message };
  if (cause.code !== undefined) settlement.code = cause.code;
  if (cause.status !== undefined) settlement.status = cause.status;
  return settlement;
}

/** The `failed` event's record of one entry (parses the entry back: only called when someone listens). */
export function failedEntry(entry: QueuedEntry, settlement: Settlement & { failed: true }): FailedEntry {
  const failed: FailedEntry = {
    idempotencyKey: entry.key,
    entry: entryOf(slotText(entry)),
    reason: settlement.reason,
    message: settlement.message,
  };
  if (settlement.code !== undefined) failed.code = settlement.code;
  if (settlement.status !== undefined) failed.status = settlement.status;
  return failed;
}

/** The `retrying` event's payload. */
export function retryingPayload(attempt: number, delayMs: number, entries: number, cause: Cause): DeliveryEvents['retrying'] {
  const payload: DeliveryEvents['retrying'] = { attempt, delayMs, entries, message: cause.message };
  if (cause.status !== undefined) payload.status = cause.status;
  if (cause.code !== undefined) payload.code = cause.code;
  return payload;
}
