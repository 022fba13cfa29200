/**
 * The result of logging an entry: the entry exactly as the service stored it, read back with its id, in the same
 * shape as a found entry (so both branches of Find or Log Entry give later steps the same fields). Reading it back
 * is what makes a repeated Idempotency Key show the entry stored the first time, not the values of this run.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import type { Receipt } from '@audit-trail/sdk/contract';
import { baseUrlOf } from './connection.js';
import { entryOutput, type EntryOutput } from './entry-output.js';
import { readBackFailedMessage } from './messages.js';
import { findStoredEntry } from './stored-entry.js';

/** The stored entry a receipt is for, as the create outputs it. */
export async function loggedEntry(
  z: ZObject,
  bundle: Pick<Bundle, 'authData'>,
  receipt: Receipt,
  applicationId: string | undefined,
): Promise<EntryOutput> {
  // An idempotent replay carries the stored entry already: no second request needed.
  if (receipt.entry) return entryOutput(receipt.entry, baseUrlOf(z, bundle));
  let reason: string;
  try {
    const stored = await findStoredEntry(z, bundle, receipt.logEntryId, applicationId);
    if (stored) return entryOutput(stored, baseUrlOf(z, bundle));
    reason = 'the service does not find it';
  } catch (error) {
    reason = messageOf(error);
  }
  // The entry is recorded: say so, so that nobody runs the step again and logs it twice.
  throw new z.errors.Error(readBackFailedMessage(receipt, reason), 'ReadBackFailed', 502);
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  try {
    const parsed = JSON.parse(error.message) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : error.message;
  } catch {
    return error.message;
  }
}
