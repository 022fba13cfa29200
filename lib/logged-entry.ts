/**
 * The create's result: the service's receipt plus the entry as sent, in the same shape as a stored entry (absent
 * fields are `null`), so a search-or-create step gives later steps the same fields whichever branch ran.
 */
import type { Entry, Receipt } from '../sdk/contract.js';

/** What `log_entry` returns to the Zap. */
export interface LoggedEntry extends Receipt {
  id: string;
  applicationId: string;
  actorId: string;
  action: string;
  details: Entry['details'] | null;
  actorDisplayName: string | null;
  actorRoles: string[] | null;
  entityType: string | null;
  entityId: string | null;
  occurredAt: string | null;
  ip: string | null;
  idempotencyKey: string | null;
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
    actorId: entry.actorId,
    action: entry.action,
    details: entry.details ?? null,
    actorDisplayName: entry.actorDisplayName ?? null,
    actorRoles: entry.actorRoles ?? null,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId ?? null,
    occurredAt: entry.occurredAt ?? null,
    ip: entry.ip ?? null,
    idempotencyKey: entry.idempotencyKey ?? null,
  };
}
