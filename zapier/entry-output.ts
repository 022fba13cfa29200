/**
 * What every operation that returns entries gives the Zap (triggers, searches, both branches of Find or Log Entry,
 * Log Entry): the entry as the service stored it, plus a link to it and a flag for details left out to stay under
 * Zapier's response size limit. One shape and one list of output fields, so later steps see the same fields
 * whichever operation or branch ran. Labels of the caller's fields come from the contract's `EntrySchema`.
 */
import type { PlainOutputField } from 'zapier-platform-core';
import { PATHS, queryString, type EntryField, type StoredEntry } from '@audit-trail/sdk/contract';
import { entryFieldLabel } from './entry-fields.js';

/** An entry as the app outputs it. */
export interface EntryOutput extends StoredEntry {
  /** The same as `id` (the receipt's name for it; kept so Zaps built on it keep working). */
  logEntryId: string;
  /** The service's address of this entry (`GET /api/getEntryById`, with the connection's credentials). */
  entryUrl: string;
  /** `true` when `details` was left out (set to `null`) to keep the response under Zapier's size limit. */
  detailsOmitted: boolean;
}

/**
 * Zapier refuses a trigger or search response above 6 MB. Entries are cut to this many bytes of JSON, leaving room
 * for Zapier's own envelope.
 */
export const RESPONSE_BUDGET_BYTES = 5_000_000;

/** The link to an entry on the connection's service. */
export function entryUrl(baseUrl: string, id: string): string {
  return `${baseUrl}${PATHS.entryById}${queryString({ entryId: id })}`;
}

/** A stored entry as the app outputs it. */
export function entryOutput(entry: StoredEntry, baseUrl: string): EntryOutput {
  return { ...entry, logEntryId: entry.id, entryUrl: entryUrl(baseUrl, entry.id), detailsOmitted: false };
}

/**
 * Keeps a list of entries under {@link RESPONSE_BUDGET_BYTES}: while it is over, the largest details are left out
 * (`details: null`, `detailsOmitted: true`), so the many small entries keep theirs. The entry itself (ids, hashes,
 * link) is never dropped; details left out can be read with Find Entry by ID or the entry link.
 */
export function capEntries(entries: EntryOutput[], budgetBytes: number = RESPONSE_BUDGET_BYTES): EntryOutput[] {
  const sizes = entries.map((entry) => Buffer.byteLength(JSON.stringify(entry)));
  let total = sizes.reduce((sum, size) => sum + size, 2 + Math.max(0, entries.length - 1));
  if (total <= budgetBytes) return entries;
  const result = [...entries];
  const detailsBytes = entries.map((entry) => (entry.details === null ? 0 : Buffer.byteLength(JSON.stringify(entry.details))));
  const largestFirst = entries.map((_, index) => index).sort((a, b) => (detailsBytes[b] ?? 0) - (detailsBytes[a] ?? 0));
  for (const index of largestFirst) {
    if (total <= budgetBytes) break;
    const entry = result[index];
    if (!entry || entry.details === null) continue;
    result[index] = { ...entry, details: null, detailsOmitted: true };
    // `null` and `false` → `true`: 4 bytes instead of the details, one more for the flag.
    total -= (detailsBytes[index] ?? 0) - 4 - 1;
  }
  return result;
}

const fromEntry = (key: EntryField, extras: Omit<PlainOutputField, 'key' | 'label'> = {}): PlainOutputField => ({
  key,
  label: entryFieldLabel(key),
  ...extras,
});

/** Output fields of every operation that returns entries. */
export const ENTRY_OUTPUT_FIELDS: PlainOutputField[] = [
  { key: 'id', label: 'Entry ID', type: 'string', required: true },
  { key: 'logEntryId', label: 'Log Entry ID', type: 'string', required: true },
  { key: 'applicationId', label: 'Application ID', type: 'string', required: true },
  { key: 'sequence', label: 'Sequence Number', type: 'integer', required: true },
  { key: 'timestamp', label: 'Recorded At', type: 'datetime', required: true },
  fromEntry('actorId', { type: 'string', required: true }),
  fromEntry('action', { type: 'string', required: true }),
  fromEntry('details'),
  { key: 'detailsOmitted', label: 'Details Left Out (Too Large)', type: 'boolean', required: true },
  fromEntry('actorDisplayName', { type: 'string' }),
  fromEntry('actorRoles', { type: 'string', list: true }),
  fromEntry('entityType', { type: 'string' }),
  fromEntry('entityId', { type: 'string' }),
  fromEntry('occurredAt', { type: 'datetime' }),
  fromEntry('ip', { type: 'string' }),
  fromEntry('idempotencyKey', { type: 'string' }),
  { key: 'hash', label: 'Chained Hash', type: 'string', required: true },
  { key: 'previousHash', label: 'Previous Hash', type: 'string', required: true },
  { key: 'standaloneHash', label: 'Standalone Hash', type: 'string', required: true },
  { key: 'hashVersion', label: 'Hash Version', type: 'integer', required: true },
  { key: 'entryUrl', label: 'Entry Link', type: 'string', required: true },
];
