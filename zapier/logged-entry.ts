/**
 * The create's result: the service's receipt plus the entry as sent, in the same shape as a stored entry (absent
 * fields are `null`), so a search-or-create step gives later steps the same fields whichever branch ran.
 */
import { entryFields, type Entry, type EntryFields, type Receipt } from '@audit-trail/sdk/contract';

/** What `log_entry` returns to the Zap. */
// The receipt's signed checkpoint is for SDK verification (verifyReceipt); a zap step's output keeps the entry's fields.
export interface LoggedEntry extends Omit<Receipt, 'treeSize' | 'checkpoint'>, EntryFields {
  id: string;
  applicationId: string;
}

/** Combines a receipt with the entry it is for. */
export function loggedEntry(receipt: Receipt, entry: Entry, applicationId: string): LoggedEntry {
  return {
    id: receipt.logEntryId,
    logEntryId: receipt.logEntryId,
    applicationId,
    sequence: receipt.sequence,
    timestamp: receipt.timestamp,
    hash: receipt.hash,
    previousHash: receipt.previousHash,
    standaloneHash: receipt.standaloneHash,
    ...entryFields(entry),
  };
}
